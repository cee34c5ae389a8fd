/** @module engine/fifo/store — where an engine's FIFO items live: the messages table, next to standard messages. */
import type { FifoStore } from '../../storage/fifo-store.js'
import type { EngineDeps } from '../deps.js'

export const fifoStore = (deps: EngineDeps): FifoStore => ({ db: deps.db, table: deps.tables.messages })
