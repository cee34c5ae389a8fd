/** @module scripts/queues-schema — writes dqs.schema.json, the queues file's JSON Schema for editors, from its zod schema (`npm run schema`). */
import { writeFileSync } from 'node:fs'
import { queuesFileJsonSchema } from '@dqs/server'

writeFileSync('dqs.schema.json', queuesFileJsonSchema())
