import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '../../src/renderer/src/lib/csv'
import { dataUrlToBlob, safeFileName } from '../../src/renderer/src/lib/filename'
import { balanceGuidance, minorityClass, weightFactor } from '../../src/renderer/src/lib/guidance'

describe('CSV', () => {
  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('Seed CNN, no dropout')).toBe('"Seed CNN, no dropout"')
    expect(csvField('the "full" model')).toBe('"the ""full"" model"')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(null)).toBe('')
    expect(csvField(undefined)).toBe('')
    expect(csvField(Number.NaN)).toBe('')
    expect(csvField(0.912345)).toBe('0.912345')
    expect(csvField(-0.02)).toBe('-0.02')
    expect(csvField(true)).toBe('true')
  })

  it('keeps spreadsheet formulas from running', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
  })

  it('writes a BOM, CRLF lines and Chinese text as is', () => {
    const text = toCsv(
      ['实验', 'AUPRC'],
      [
        ['完整模型', 0.21],
        ['a,b', null],
      ],
    )
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.slice(1)).toBe('实验,AUPRC\r\n完整模型,0.21\r\n"a,b",\r\n')
  })
})

describe('file names for exports', () => {
  it('drops what a file system refuses and keeps other scripts', () => {
    expect(safeFileName('ROC curves, test part', 'png')).toBe('ROC curves, test part.png')
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j', 'svg')).toBe('a-b-c-d-e-f-g-h-i-j.svg')
    expect(safeFileName('混淆矩阵（测试集）', 'png')).toBe('混淆矩阵（测试集）.png')
    expect(safeFileName('  ..  ', 'csv')).toBe('seqlab.csv')
    expect(safeFileName('x'.repeat(300), 'csv')).toHaveLength(104)
  })

  it('turns a base64 data URL into the same bytes', async () => {
    const blob = dataUrlToBlob('data:image/png;base64,iVBORw0KGgo=')
    expect(blob.type).toBe('image/png')
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ])
    expect(await dataUrlToBlob('data:image/svg+xml,%3Csvg%2F%3E').text()).toBe('<svg/>')
    expect(() => dataUrlToBlob('not a url')).toThrow()
  })
})

describe('class balance guidance', () => {
  const jund = [
    { part: 'train' as const, counts: [275_048, 1_168] },
    { part: 'val' as const, counts: [34_378, 146] },
    { part: 'test' as const, counts: [34_390, 139] },
  ]

  it('calls 1 positive in ~238 severe, and says what always answering "no" would score', () => {
    const g = balanceGuidance(jund)
    expect(g.kind).toBe('severe')
    if (g.kind !== 'severe') return
    expect(g.minority).toBe(1)
    expect(g.majority).toBe(0)
    expect(g.oneIn).toBe(238)
    expect(g.majorityAccuracy).toBeCloseTo(343_816 / 345_269, 6)
  })

  it('grades milder imbalance and balance', () => {
    expect(balanceGuidance([{ part: 'train', counts: [800, 200] }]).kind).toBe('moderate')
    expect(balanceGuidance([{ part: 'train', counts: [600, 400] }]).kind).toBe('balanced')
    expect(balanceGuidance([{ part: 'train', counts: [960, 40] }]).kind).toBe('severe')
    expect(balanceGuidance([]).kind).toBe('empty')
    expect(balanceGuidance([{ part: 'train', counts: [0, 0] }]).kind).toBe('empty')
  })

  it('puts a part without positives first: nothing can be measured on it', () => {
    const g = balanceGuidance([jund[0]!, jund[1]!, { part: 'test', counts: [34_529, 0] }])
    expect(g).toEqual({ kind: 'partWithoutMinority', part: 'test' })
  })

  it('takes the rarest class as the minority of more than two', () => {
    expect(minorityClass([500, 20, 300])).toBe(1)
    expect(minorityClass([10, 500])).toBe(1)
    const g = balanceGuidance([{ part: 'train', counts: [500, 20, 300] }])
    expect(g.kind === 'severe' && g.minority === 1 && g.majority === 0).toBe(true)
  })

  it('tells how much a positive weighs against a negative', () => {
    const train = { part: 'train' as const, counts: [275_048, 1_168], weightSums: [138_108, 138_108] }
    expect(weightFactor(train, 1, 0)).toBeCloseTo(275_048 / 1_168, 6)
    expect(weightFactor({ part: 'train', counts: [10, 1] }, 1, 0)).toBeNull()
    expect(weightFactor(undefined, 1, 0)).toBeNull()
  })
})
