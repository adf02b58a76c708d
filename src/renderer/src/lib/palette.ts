/**
 * Colours of the charts (UI.md): one Okabe–Ito colour per experiment, the same in every chart of a
 * comparison, and class colours from another family (greys and a dark blue) so a class is never mistaken
 * for an experiment. Pure: the theme comes in as a flag.
 */

/**
 * Okabe & Ito (2008), in an order that puts the hues easiest to tell apart first. Yellow (#F0E442) is left
 * out: it vanishes on a white background. Black becomes a light grey on a dark background.
 */
const OKABE_ITO_LIGHT = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000'] as const
const OKABE_ITO_DARK = ['#3FA4E8', '#E69F00', '#19C293', '#F07C2A', '#E08DBF', '#56B4E9', '#D9D9D9'] as const

export const EXPERIMENT_PALETTE_SIZE = OKABE_ITO_LIGHT.length

/** Line styles that tell experiments apart once the colours repeat (more experiments than colours). */
export type LineDash = 'solid' | number[]
const DASHES: readonly LineDash[] = ['solid', [8, 4], [2, 3], [10, 3, 2, 3]]

/**
 * The colour of one experiment in a comparison: its position in `orderedIds` (the comparison's own order,
 * e.g. creation time), so adding a chart or sorting a table never changes it. An id outside the list gets a
 * colour from a hash of the id, still stable.
 */
export function experimentColor(id: string, orderedIds: readonly string[], dark = false): string {
  const palette = dark ? OKABE_ITO_DARK : OKABE_ITO_LIGHT
  return palette[experimentSlot(id, orderedIds) % palette.length]!
}

/** A second channel besides colour for the 8th experiment on (colours cycle, the dash changes). */
export function experimentDash(id: string, orderedIds: readonly string[]): LineDash {
  return DASHES[Math.floor(experimentSlot(id, orderedIds) / EXPERIMENT_PALETTE_SIZE) % DASHES.length]!
}

function experimentSlot(id: string, orderedIds: readonly string[]): number {
  const index = orderedIds.indexOf(id)
  if (index >= 0) return index
  let hash = 0
  for (const char of id) hash = (Math.imul(hash, 31) + char.codePointAt(0)!) >>> 0
  return hash
}

/**
 * Class colours: for two classes a mid grey (negative) and a dark blue (positive); for k classes a ramp from
 * grey to dark blue, ordered like the classes. None of them is an Okabe–Ito hue.
 */
export function classColors(count: number, dark = false): string[] {
  if (count <= 0) return []
  const [from, to] = dark ? ([0xa3a3a3, 0x8fb4ff] as const) : ([0xa6a6a6, 0x1b2a6b] as const)
  if (count === 1) return [hex(to)]
  return Array.from({ length: count }, (_, i) => hex(mix(from, to, i / (count - 1))))
}

/** Colours of the chart furniture (text, axes, grid lines), which ECharts does not take from naive-ui. */
export interface ChartInk {
  text: string
  muted: string
  axis: string
  grid: string
  background: string
  /** The chance line of ROC/PR curves: neutral, dashed, never an experiment colour. */
  chance: string
}

export function chartInk(dark = false): ChartInk {
  return dark
    ? {
        text: 'rgba(255, 255, 255, 0.88)',
        muted: 'rgba(255, 255, 255, 0.6)',
        axis: 'rgba(255, 255, 255, 0.35)',
        grid: 'rgba(255, 255, 255, 0.1)',
        background: '#18181c',
        chance: 'rgba(255, 255, 255, 0.5)',
      }
    : {
        text: 'rgb(31, 34, 37)',
        muted: 'rgba(31, 34, 37, 0.65)',
        axis: 'rgba(31, 34, 37, 0.4)',
        grid: 'rgba(31, 34, 37, 0.1)',
        background: '#ffffff',
        chance: 'rgba(31, 34, 37, 0.45)',
      }
}

/** Black or white, whichever reads better on `background` (#rrggbb), e.g. for labels inside heat map cells. */
export function textOn(background: string): string {
  const value = parseInt(background.replace('#', ''), 16)
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
  return luminance > 0.2 ? '#000000' : '#ffffff'
}

/** Linear blend of two 0xRRGGBB colours, `t` from 0 (from) to 1 (to). */
export function mix(from: number, to: number, t: number): number {
  const channel = (shift: number) =>
    Math.round(((from >> shift) & 255) + (((to >> shift) & 255) - ((from >> shift) & 255)) * t)
  return (channel(16) << 16) | (channel(8) << 8) | channel(0)
}

export function hex(value: number): string {
  return `#${value.toString(16).padStart(6, '0')}`
}
