/** boto3 against DQS: Debian's python3-boto3 (botocore 1.29, Query protocol) when installed, as .ci/run does. */
import { execFile, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'
import { endpoint, uniqueQueueName } from '../support/clients.js'

const python = '/usr/bin/python3'
const probe = spawnSync(python, ['-c', 'import boto3, botocore; print(botocore.__version__)'], { encoding: 'utf8' })
const botocore = !probe.error && probe.status === 0 ? probe.stdout.trim() : undefined
const script = fileURLToPath(new URL('boto3_smoke.py', import.meta.url))

it.skipIf(!botocore)(`boto3 (botocore ${botocore ?? 'not installed: apt-get install python3-boto3'}) creates, sends, receives and deletes`, async () => {
  const { stdout } = await promisify(execFile)(python, [script, endpoint, uniqueQueueName('boto3')], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
  })
  expect(stdout).toMatch(/ok$/m)
}, 60_000)
