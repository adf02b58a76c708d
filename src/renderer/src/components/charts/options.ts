/**
 * Shared pieces of the chart options, so every chart has the same furniture: readable text in both themes,
 * axis names with units that truncate instead of running over, category labels that never overlap
 * (ECharts skips labels that would collide, and truncates long ones; the axis tooltip shows them in full).
 */
import { displayWidth } from '../../lib/format'
import type { ChartInk } from '../../lib/palette'
import type { ChartOption } from './echarts'

type Axis = Record<string, unknown>

export function baseOption(ink: ChartInk, font: string): ChartOption {
  return {
    backgroundColor: 'transparent',
    textStyle: { color: ink.text, fontFamily: font, fontSize: 12 },
    animationDuration: 300,
    animationDurationUpdate: 250,
    tooltip: {
      confine: true,
      textStyle: { fontFamily: font, fontSize: 12 },
      // Full names of truncated labels are in the tooltip; long ones wrap within it.
      extraCssText: 'max-width: 320px; white-space: normal;',
    },
  }
}

/** A value axis with its name (and unit) along it, centred, truncated to the room it has. */
export function valueAxis(ink: ChartInk, name: string, extra: Axis = {}, nameRoom = 260): Axis {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 36,
    nameTruncate: { maxWidth: nameRoom },
    nameTextStyle: { color: ink.muted, fontSize: 12 },
    axisLine: { show: true, lineStyle: { color: ink.axis } },
    axisTick: { show: true, lineStyle: { color: ink.axis } },
    axisLabel: { color: ink.muted, hideOverlap: true },
    splitLine: { lineStyle: { color: ink.grid } },
    ...extra,
  }
}

/** A category axis whose labels truncate at `labelWidth` px and are thinned out rather than overlap. */
export function categoryAxis(
  ink: ChartInk,
  name: string,
  data: string[],
  labelWidth = 90,
  extra: Axis = {},
): Axis {
  return {
    type: 'category',
    name,
    nameLocation: 'middle',
    nameGap: 30,
    nameTruncate: { maxWidth: 320 },
    nameTextStyle: { color: ink.muted, fontSize: 12 },
    data,
    axisLine: { lineStyle: { color: ink.axis } },
    axisTick: { alignWithLabel: true, lineStyle: { color: ink.axis } },
    axisLabel: {
      color: ink.muted,
      width: labelWidth,
      overflow: 'truncate',
      interval: 'auto',
      hideOverlap: true,
    },
    ...extra,
  }
}

/** A legend that scrolls instead of wrapping over the plot, truncates long names and shows them on hover. */
export function legend(ink: ChartInk, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'scroll',
    top: 0,
    left: 0,
    right: 0,
    textStyle: { color: ink.text, width: 220, overflow: 'truncate' },
    pageTextStyle: { color: ink.muted },
    pageIconColor: ink.text,
    pageIconInactiveColor: ink.axis,
    inactiveColor: ink.axis,
    tooltip: { show: true },
    ...extra,
  }
}

/** Escapes text placed into an HTML tooltip (experiment and class names are user input). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A coloured dot for HTML tooltips. */
export function swatch(color: string, dashed = false): string {
  const style = dashed
    ? `border-top:2px dashed ${color};width:12px;height:0;display:inline-block;vertical-align:middle;margin-right:6px`
    : `background:${color};width:10px;height:10px;border-radius:50%;display:inline-block;margin-right:6px`
  return `<span style="${style}"></span>`
}

/**
 * A legend that wraps onto as many rows as it needs above the plot, and how tall it is, so the grid can
 * start below it. (A scrolling legend would hide entries, and they would be missing from an export.)
 * Widths are estimated from the text: about 7 px per Latin character at 12 px, twice that for CJK.
 */
export function flowLegend(
  ink: ChartInk,
  labels: string[],
  width: number,
  extra: Record<string, unknown> = {},
): { legend: Record<string, unknown>; height: number } {
  const gap = 16
  let rows = labels.length > 0 ? 1 : 0
  let used = 0
  for (const label of labels) {
    const item = 25 + 5 + displayWidth(label) * 7
    if (used > 0 && used + gap + item > width) {
      rows++
      used = item
    } else used += (used > 0 ? gap : 0) + item
  }
  const rowHeight = 24
  return {
    legend: {
      type: 'plain',
      top: 0,
      left: 0,
      right: 0,
      itemGap: gap,
      textStyle: { color: ink.text },
      inactiveColor: ink.axis,
      tooltip: { show: true },
      ...extra,
    },
    height: rows * rowHeight,
  }
}
