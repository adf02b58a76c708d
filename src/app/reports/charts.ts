/**
 * The report's charts as SVG text, drawn in Node by ECharts' server-side renderer (`ssr: true` with the SVG
 * renderer, then `renderToSVGString`): no DOM, no canvas, nothing to load when the page opens. They follow
 * the app's charts (UI.md): axes named with their units, ROC/PR with the chance line, training curves with
 * training dashed and validation solid and the best epoch marked, one Okabe–Ito colour per experiment in
 * the project's order, so an experiment has the same colour here as in the Results view.
 */
import { LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent } from 'echarts/components'
import { init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import type { Translate } from './strings'
import type { ReportFormat } from './format'

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, SVGRenderer])

/** Okabe & Ito, the renderer's experiment palette (src/renderer/src/lib/palette.ts), light theme. */
const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000']
const INK = { text: '#1f2225', muted: '#5b5e62', axis: '#8f9193', grid: '#e6e7e8', chance: '#8f9193' }
// Single quotes inside: ECharts writes the family into a double-quoted style attribute.
const FONT =
  "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"

export const CHART_WIDTH = 460
const PLOT_HEIGHT = 310
/** Height of one row of the legend (14 px items, 14 px apart, with room to spare). */
const LEGEND_ROW = 28

/** The colour of an experiment: its place in the project's list of experiments (as in the app). */
export function experimentColor(id: number, orderedIds: readonly number[]): string {
  const i = orderedIds.indexOf(id)
  return OKABE_ITO[(i >= 0 ? i : id) % OKABE_ITO.length]!
}

/** Width of text in Latin-character units (CJK counts twice), to lay the legend out in rows. */
function displayWidth(text: string): number {
  let w = 0
  for (const c of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(c) ? 2 : 1
  return w
}

function legendRows(labels: string[], width: number): number {
  let rows = labels.length > 0 ? 1 : 0
  let used = 0
  for (const label of labels) {
    const item = 30 + Math.min(displayWidth(label), 48) * 6.5
    if (used > 0 && used + 14 + item > width) {
      rows++
      used = item
    } else used += (used > 0 ? 14 : 0) + item
  }
  return rows
}

type Option = Record<string, unknown>

function valueAxis(name: string, extra: Option = {}): Option {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 34,
    nameTextStyle: { color: INK.muted, fontSize: 12 },
    axisLine: { show: true, lineStyle: { color: INK.axis } },
    axisTick: { show: true, lineStyle: { color: INK.axis } },
    axisLabel: { color: INK.muted, hideOverlap: true },
    splitLine: { lineStyle: { color: INK.grid } },
    ...extra,
  }
}

/** Renders one option to an SVG string, with a legend under the plot on as many rows as it needs. */
function render(option: Option, legend: string[]): string {
  const rows = legendRows(legend, CHART_WIDTH - 20)
  const height = PLOT_HEIGHT + rows * LEGEND_ROW
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height })
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { color: INK.text, fontFamily: FONT, fontSize: 12 },
      legend: {
        type: 'plain',
        bottom: 0,
        left: 0,
        right: 0,
        itemGap: 14,
        textStyle: { color: INK.text, width: 300, overflow: 'truncate' },
        data: legend,
      },
      grid: { top: 26, left: 58, right: 18, bottom: 50 + rows * LEGEND_ROW },
      ...option,
    })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

export interface CurveLine {
  name: string
  x: readonly number[]
  y: readonly number[]
  color: string
  dashed?: boolean
}

/** ROC or PR curves with the chance line (the diagonal, or the positive rate for PR). */
export function curvesSvg(
  kind: 'roc' | 'pr',
  lines: CurveLine[],
  t: Translate,
  f: ReportFormat,
  positiveRate = 0,
): string {
  const series = lines.map((l) => ({
    type: 'line',
    name: l.name,
    data: l.x.map((x, i) => [x, l.y[i]!]),
    color: l.color,
    showSymbol: false,
    lineStyle: { width: 2, type: l.dashed ? [6, 4] : 'solid' },
    z: 3,
  }))
  const chanceLabel = kind === 'roc' ? t('charts.chance') : `${t('charts.chance')}: ${f.metric(positiveRate)}`
  const chance = {
    type: 'line',
    name: 'chance',
    data: [],
    silent: true,
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: { color: INK.chance, type: [5, 5], width: 1 },
      label: {
        position: kind === 'roc' ? 'insideMiddleBottom' : 'insideStartTop',
        color: INK.muted,
        backgroundColor: '#ffffff',
        padding: [1, 4],
        formatter: chanceLabel,
      },
      data: kind === 'roc' ? [[{ coord: [0, 0] }, { coord: [1, 1] }]] : [{ yAxis: positiveRate }],
    },
    z: 1,
  }
  const [xName, yName] =
    kind === 'roc' ? [t('charts.fpr'), t('charts.tpr')] : [t('charts.recall'), t('charts.precision')]
  return render(
    {
      xAxis: valueAxis(xName, { min: 0, max: 1, nameGap: 28, splitNumber: 5 }),
      yAxis: valueAxis(yName, { min: 0, max: 1, nameGap: 38, splitNumber: 5 }),
      series: [chance, ...series],
    },
    lines.map((l) => l.name),
  )
}

export interface EpochLine {
  name: string
  /** [epoch, value] pairs; null values are gaps. */
  points: [number, number | null][]
  color: string
  dashed?: boolean
}

/** Values per epoch (loss or metrics), the best epoch marked by a vertical line. */
export function epochsSvg(
  lines: EpochLine[],
  axisName: string,
  t: Translate,
  bestEpoch: number | null,
  unitRange: boolean,
): string {
  const maxEpoch = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p[0])))
  const series: Option[] = lines.map((l) => ({
    type: 'line',
    name: l.name,
    data: l.points,
    color: l.color,
    showSymbol: l.points.length <= 30,
    symbolSize: 5,
    connectNulls: false,
    lineStyle: { width: 2, type: l.dashed ? [6, 4] : 'solid' },
  }))
  if (bestEpoch !== null) {
    series.push({
      type: 'line',
      name: 'best',
      data: [],
      silent: true,
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { color: INK.text, type: [2, 3], width: 1 },
        label: {
          position: 'insideEndTop',
          color: INK.text,
          formatter: t('charts.best', { epoch: bestEpoch }),
        },
        data: [{ xAxis: bestEpoch }],
      },
    })
  }
  return render(
    {
      xAxis: valueAxis(t('charts.epoch'), {
        min: 1,
        max: maxEpoch,
        minInterval: 1,
        nameGap: 28,
        splitLine: { show: false },
      }),
      yAxis: valueAxis(axisName, unitRange ? { min: 0, max: 1, nameGap: 38 } : { scale: true, nameGap: 44 }),
      series,
    },
    lines.map((l) => l.name),
  )
}
