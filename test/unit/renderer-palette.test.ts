import { describe, expect, it } from 'vitest'
import {
  chartInk,
  classColors,
  experimentColor,
  experimentDash,
  textOn,
} from '../../src/renderer/src/lib/palette'

const okabeIto = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000']
const ids = ['exp-a', 'exp-b', 'exp-c', 'exp-d', 'exp-e', 'exp-f', 'exp-g']

describe('experiment colours', () => {
  it('are Okabe–Ito colours, all different within one comparison', () => {
    const colours = ids.map((id) => experimentColor(id, ids))
    expect(new Set(colours).size).toBe(ids.length)
    for (const colour of colours) expect(okabeIto).toContain(colour.toUpperCase())
    // Yellow is unreadable on white and is not used.
    expect(colours.map((c) => c.toUpperCase())).not.toContain('#F0E442')
  })

  it('stay the same for an experiment when runs are added to the comparison or rows are sorted', () => {
    const before = Object.fromEntries(ids.map((id) => [id, experimentColor(id, ids)]))
    // A new experiment goes to the end of the comparison's order; the others keep their colour.
    const grown = [...ids, 'exp-new']
    for (const id of ids) expect(experimentColor(id, grown)).toBe(before[id])
    // A table sorted by AUPRC looks colours up in the comparison's order, not in its own row order.
    const sortedRows = ['exp-d', 'exp-a', 'exp-g', 'exp-b']
    expect(sortedRows.map((id) => experimentColor(id, ids))).toEqual(sortedRows.map((id) => before[id]))
    // An id outside the list gets a hash-based colour that does not change between calls or lists.
    expect(experimentColor('exp-zzz', ids)).toBe(experimentColor('exp-zzz', ['x', 'y']))
  })

  it('add a dash pattern once the colours repeat', () => {
    const many = Array.from({ length: 9 }, (_, i) => `e${i}`)
    expect(experimentDash('e0', many)).toBe('solid')
    expect(experimentColor('e7', many)).toBe(experimentColor('e0', many))
    expect(experimentDash('e7', many)).not.toBe('solid')
  })

  it('are adjusted for a dark background (no black lines on black)', () => {
    const dark = ids.map((id) => experimentColor(id, ids, true))
    expect(dark).not.toContain('#000000')
    expect(new Set(dark).size).toBe(ids.length)
  })
})

describe('class colours', () => {
  it('are grey and dark blue for two classes, never an experiment colour', () => {
    const [negative, positive] = classColors(2)
    expect(negative).toBe('#a6a6a6')
    expect(positive).toBe('#1b2a6b')
    const experiments = new Set(ids.map((id) => experimentColor(id, ids).toLowerCase()))
    for (const colour of [...classColors(2), ...classColors(5), ...classColors(2, true)]) {
      expect(experiments.has(colour.toLowerCase())).toBe(false)
    }
  })

  it('ramp evenly for k classes, and differ from each other', () => {
    const colours = classColors(5)
    expect(colours).toHaveLength(5)
    expect(new Set(colours).size).toBe(5)
    expect(colours[0]).toBe('#a6a6a6')
    expect(colours[4]).toBe('#1b2a6b')
    expect(classColors(0)).toEqual([])
  })
})

describe('chart ink', () => {
  it('is dark on light and light on dark', () => {
    expect(chartInk(false).background).toBe('#ffffff')
    expect(chartInk(true).background).not.toBe('#ffffff')
    expect(chartInk(true).text).toMatch(/255, 255, 255/)
  })

  it('picks the readable label colour on a heat map cell', () => {
    expect(textOn('#1b2a6b')).toBe('#ffffff')
    expect(textOn('#f4f5f7')).toBe('#000000')
  })
})
