/** docs/reference/dynamo-model.md §4.1 names, for every stored item, the file and symbol whose doc comment holds its table. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const storage = 'packages/core/src/storage'
const tableHeader = /^\s*\*\s*\| attribute \| type \|/m

interface IndexRow {
  item: string
  file: string
  symbol: string
}

/** The rows of §4.1's item index: `| item | table | `<file>` (`<symbol>`) |`. */
function indexRows(): IndexRow[] {
  const doc = readFileSync(join(root, 'docs/reference/dynamo-model.md'), 'utf8')
  const section = doc.slice(doc.indexOf('### 4.1 '), doc.indexOf('### 4.2 '))
  return [...section.matchAll(/^\| ([^|]+?) \| (?:queues|messages) \| `([^`]+)` \(`([^`]+)`\) \|$/gm)]
    .map(([, item, file, symbol]) => ({ item: item!, file: file!, symbol: symbol! }))
}

/** The doc comment right above a declaration of `symbol`, or the module's doc comment for `@module`. */
function docCommentOf(source: string, symbol: string): string | null {
  if (symbol === '@module') return /\/\*\*[^]*?@module[^]*?\*\//.exec(source)?.[0] ?? null
  const declaration = new RegExp(`(\\/\\*\\*(?:(?!\\*\\/)[^])*\\*\\/)\\s*(?:export\\s+)?(?:interface|type|const|function|class)\\s+${symbol}\\b`)
  return declaration.exec(source)?.[1] ?? null
}

describe('the item index of docs/reference/dynamo-model.md §4.1', () => {
  const rows = indexRows()

  it('lists the items of both tables', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15)
    expect(rows.map((r) => r.item)).toEqual(expect.arrayContaining(['queue', 'counts', 'standard message', 'FIFO group']))
  })

  it.each(rows)('$item: the doc comment of $symbol in $file holds its table', ({ file, symbol }) => {
    const path = join(root, file)
    expect(existsSync(path), `${file} does not exist`).toBe(true)
    const comment = docCommentOf(readFileSync(path, 'utf8'), symbol)
    expect(comment, `no doc comment for ${symbol} in ${file}`).not.toBeNull()
    expect(comment).toMatch(tableHeader)
  })

  it('names every storage file that holds an item table', () => {
    const indexed = new Set(rows.map((r) => r.file))
    const withTables = readdirSync(join(root, storage))
      .filter((name) => name.endsWith('.ts') && tableHeader.test(readFileSync(join(root, storage, name), 'utf8')))
      .map((name) => `${storage}/${name}`)
    expect(withTables.filter((file) => !indexed.has(file))).toEqual([])
  })
})
