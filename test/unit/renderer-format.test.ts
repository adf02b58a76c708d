import { describe, expect, it } from 'vitest'
import {
  createFormat,
  displayWidth,
  formatCount,
  formatDelta,
  formatMetric,
  formatPercent,
  oneInN,
  truncateText,
  type Translate,
} from '../../src/renderer/src/lib/format'
import en from '../../src/renderer/src/i18n/en'
import zhCN from '../../src/renderer/src/i18n/zh-CN'

type Tree = { [key: string]: string | Tree }

/** A `t` over the real message files, interpolating {placeholders} as vue-i18n does. */
function translator(messages: Tree): Translate {
  return (key, values = {}) => {
    const text = key
      .split('.')
      .reduce<string | Tree | undefined>(
        (node, part) => (typeof node === 'object' ? node[part] : undefined),
        messages,
      )
    if (typeof text !== 'string') throw new Error(`missing message ${key}`)
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]))
  }
}

const enFormat = createFormat('en', translator(en as Tree))
const zhFormat = createFormat('zh-CN', translator(zhCN as Tree))

describe('numbers as a scientist reads them', () => {
  it('gives scores three decimals, and a dash for a missing one', () => {
    expect(formatMetric(0.91234, 'en')).toBe('0.912')
    expect(formatMetric(1, 'en')).toBe('1.000')
    expect(formatMetric(0.0004, 'en')).toBe('0.000')
    expect(formatMetric(null, 'en')).toBe('—')
    expect(formatMetric(Number.NaN, 'en')).toBe('—')
    // A negative MCC keeps a real minus sign.
    expect(formatMetric(-0.125, 'en')).toBe('\u22120.125')
    expect(formatMetric(0.91234, 'de')).toBe('0,912')
  })

  it('signs differences, without a "−0.000" for a rounding-level gap', () => {
    expect(formatDelta(0.0213, 'en')).toBe('+0.021')
    expect(formatDelta(-0.0127, 'en')).toBe('\u22120.013')
    expect(formatDelta(-0.0001, 'en')).toBe('0.000')
  })

  it('writes rates as percentages with the precision their size needs', () => {
    expect(formatPercent(0.4526, 'en')).toBe('45.3%')
    expect(formatPercent(0.01234, 'en')).toBe('1.2%')
    // A rare class never shows as 0%.
    expect(formatPercent(1168 / 276216, 'en')).toBe('0.42%')
    expect(formatPercent(0, 'en')).toBe('0%')
    expect(formatPercent(1, 'en')).toBe('100%')
    // Changes of 100% or more (resampling "+200%") in whole percent.
    expect(formatPercent(2, 'en')).toBe('200%')
    expect(formatPercent(1.504, 'en')).toBe('150%')
    expect(formatPercent(0.4526, 'zh-CN')).toBe('45.3%')
  })

  it('groups thousands per locale and keeps a decimal only where there is one', () => {
    expect(formatCount(276216, 'en')).toBe('276,216')
    expect(formatCount(276216, 'zh-CN')).toBe('276,216')
    expect(formatCount(276216, 'de')).toBe('276.216')
    expect(formatCount(138108.5, 'en')).toBe('138,108.5')
  })

  it('says "1 in 236" for the JunD training part, in both languages', () => {
    expect(oneInN(1168, 276216)).toBe(236)
    expect(oneInN(0, 100)).toBeNull()
    expect(oneInN(60, 40)).toBe(1)
    expect(enFormat.oneIn(1168, 276216)).toBe('1 in 236')
    expect(zhFormat.oneIn(1168, 276216)).toBe('每 236 条中 1 条')
    expect(enFormat.oneIn(0, 276216)).toBe('no positives')
    expect(enFormat.oneIn(1, 12345)).toBe('1 in 12,345')
  })

  it('writes a confidence interval and a mean ± sd', () => {
    expect(enFormat.ci(0.9123, 0.8811, 0.9342)).toBe('0.912 (95% CI 0.881–0.934)')
    expect(zhFormat.ci(0.9123, 0.8811, 0.9342)).toBe('0.912（95% 置信区间 0.881–0.934）')
    expect(enFormat.ci(0.9123, null, 0.95)).toBe('0.912')
    expect(enFormat.ci(null, 0.1, 0.2)).toBe('—')
    expect(enFormat.meanSd(0.9123, 0.0141)).toBe('0.912 ± 0.014')
    expect(zhFormat.meanSd(0.9123, null)).toBe('0.912')
  })
})

describe('text that has to fit', () => {
  it('counts Chinese characters as two columns', () => {
    expect(displayWidth('AUPRC')).toBe(5)
    expect(displayWidth('随机猜测')).toBe(8)
    expect(displayWidth('chr22 上的得分')).toBe(14)
  })

  it('truncates to a width with an ellipsis, and leaves short text alone', () => {
    expect(truncateText('Seed CNN', 24)).toBe('Seed CNN')
    const cut = truncateText('Logistic regression baseline on 3-mer counts', 20)
    expect(cut).toBe('Logistic regression…')
    expect(displayWidth(cut)).toBeLessThanOrEqual(20)
    const zh = truncateText('逻辑回归基线模型（三联体计数）', 12)
    expect(zh).toBe('逻辑回归基…')
    expect(displayWidth(zh)).toBeLessThanOrEqual(12)
  })
})
