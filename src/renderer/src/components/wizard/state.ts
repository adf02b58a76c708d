/**
 * What the import wizard holds between its steps, its defaults (the seeds' recipe: DNA, labels 0/1,
 * 101-bp windows labelled by the centre base, windows with N skipped), and how it becomes the request of
 * `datasets.preview` / `datasets.import` (src/shared/contract-datasets.ts). Pure, no Vue.
 */
import type { CallInput } from '../../../../shared/contract'
import type { PickedFile } from '../files/types'

export type WizardKind = 'fasta' | 'csv' | 'genome' | 'npy'
export const wizardKinds: readonly WizardKind[] = ['fasta', 'csv', 'genome', 'npy']

/** Omit on each member of a union (plain Omit would merge the kinds into one shape). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** The import as the services take it, without the project and the name. */
export type ImportInput = DistributiveOmit<CallInput<'datasets.preview'>, 'projectId'>

export type FileSlot =
  'fasta' | 'labels' | 'table' | 'genome' | 'peaks' | 'index' | 'npz' | 'X' | 'y' | 'w' | 'ids'

export interface WizardState {
  kind: WizardKind
  files: Record<FileSlot, PickedFile | null>
  labels: {
    kind: 'binary' | 'multiclass' | 'numeric'
    negative: string
    positive: string
    /** Multi-class: the allowed classes, comma-separated; empty = every class found. */
    classes: string
  }
  sequence: {
    alphabet: 'dna' | 'protein'
    ambiguity: 'reject' | 'asN' | 'keep'
    lengthRule: 'any' | 'same' | 'fixed'
    length: number
  }
  fasta: {
    labelFrom: 'token' | 'regex' | 'lastField' | 'table'
    key: string
    pattern: string
    idColumn: string
    labelColumn: string
    weightColumn: string
    groupColumn: string
  }
  csv: {
    sequenceColumn: string
    labelColumn: string
    weightColumn: string
    groupColumn: string
    idColumn: string
    delimiter: 'auto' | ',' | '\t' | ';'
  }
  genome: {
    length: number
    /** null: adjacent windows (the stride is the length). */
    stride: number | null
    rule: 'centre' | 'overlap' | 'summit'
    overlapFraction: number
    /** Comma-separated; empty = every chromosome. */
    chromosomes: string
    nPolicy: 'skip' | 'keep'
    ambiguity: 'asN' | 'reject'
  }
  npy: { layout: 'npz' | 'arrays' }
}

export function defaultState(kind: WizardKind = 'fasta'): WizardState {
  return {
    kind,
    files: {
      fasta: null,
      labels: null,
      table: null,
      genome: null,
      peaks: null,
      index: null,
      npz: null,
      X: null,
      y: null,
      w: null,
      ids: null,
    },
    labels: { kind: 'binary', negative: '0', positive: '1', classes: '' },
    sequence: { alphabet: 'dna', ambiguity: 'reject', lengthRule: 'any', length: 101 },
    fasta: {
      labelFrom: 'token',
      key: 'label',
      pattern: 'label=(\\S+)',
      idColumn: '',
      labelColumn: '',
      weightColumn: '',
      groupColumn: '',
    },
    csv: {
      sequenceColumn: '',
      labelColumn: '',
      weightColumn: '',
      groupColumn: '',
      idColumn: '',
      delimiter: 'auto',
    },
    genome: {
      length: 101,
      stride: null,
      rule: 'centre',
      overlapFraction: 0.5,
      chromosomes: '',
      nPolicy: 'skip',
      ambiguity: 'asN',
    },
    npy: { layout: 'npz' },
  }
}

/** The file slots the kind (and its options) uses, required ones first. */
export function fileSlots(state: WizardState): { slot: FileSlot; required: boolean }[] {
  switch (state.kind) {
    case 'fasta':
      return [
        { slot: 'fasta', required: true },
        { slot: 'labels', required: false },
      ]
    case 'csv':
      return [{ slot: 'table', required: true }]
    case 'genome':
      return [
        { slot: 'genome', required: true },
        { slot: 'peaks', required: true },
        { slot: 'index', required: false },
      ]
    case 'npy':
      return state.npy.layout === 'npz'
        ? [{ slot: 'npz', required: true }]
        : [
            { slot: 'X', required: true },
            { slot: 'y', required: true },
            { slot: 'w', required: false },
            { slot: 'ids', required: false },
          ]
  }
}

export const slotExtensions: Record<FileSlot, string[]> = {
  fasta: ['fa', 'fasta', 'fna', 'faa', 'fas', 'fa.gz', 'fasta.gz', 'fna.gz', 'faa.gz'],
  labels: ['csv', 'tsv', 'txt', 'csv.gz', 'tsv.gz'],
  table: ['csv', 'tsv', 'txt', 'csv.gz', 'tsv.gz'],
  genome: ['fa', 'fasta', 'fna', 'fa.gz', 'fasta.gz', 'fna.gz'],
  peaks: ['bed', 'narrowPeak', 'bed.gz', 'narrowPeak.gz'],
  index: ['fai'],
  npz: ['npz'],
  X: ['npy'],
  y: ['npy'],
  w: ['npy'],
  ids: ['npy'],
}

export function missingFiles(state: WizardState): FileSlot[] {
  const missing = fileSlots(state)
    .filter((s) => s.required && !state.files[s.slot])
    .map((s) => s.slot)
  if (state.kind === 'fasta' && state.fasta.labelFrom === 'table' && !state.files.labels)
    missing.push('labels')
  return missing
}

/** Every file chosen for this kind (for naming files in errors as the user picked them). */
export function pickedFiles(state: WizardState): PickedFile[] {
  return fileSlots(state)
    .map((s) => state.files[s.slot])
    .filter((f): f is PickedFile => f !== null)
}

const optional = (text: string) => (text.trim() ? text.trim() : undefined)
const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean)

function labelSpec(state: WizardState) {
  const l = state.labels
  if (l.kind === 'binary')
    return { kind: 'binary' as const, negative: l.negative.trim() || '0', positive: l.positive.trim() || '1' }
  if (l.kind === 'numeric') return { kind: 'numeric' as const }
  const classes = list(l.classes)
  return classes.length >= 2 ? { kind: 'multiclass' as const, classes } : { kind: 'multiclass' as const }
}

function sequenceRules(state: WizardState) {
  const s = state.sequence
  return {
    alphabet: s.alphabet,
    ambiguity: s.alphabet === 'dna' ? s.ambiguity : ('reject' as const),
    ...(s.lengthRule === 'same' ? { fixedLength: 'same' as const } : {}),
    ...(s.lengthRule === 'fixed' ? { fixedLength: s.length } : {}),
    labels: labelSpec(state),
  }
}

function fastaLabel(state: WizardState) {
  const f = state.fasta
  switch (f.labelFrom) {
    case 'token':
      return { from: 'token' as const, key: f.key.trim() || 'label' }
    case 'regex':
      return { from: 'regex' as const, pattern: f.pattern || '(.*)' }
    case 'lastField':
      return { from: 'lastField' as const }
    case 'table':
      return {
        from: 'table' as const,
        idColumn: f.idColumn || 'id',
        labelColumn: f.labelColumn || 'label',
        ...(optional(f.weightColumn) ? { weightColumn: f.weightColumn } : {}),
        ...(optional(f.groupColumn) ? { groupColumn: f.groupColumn } : {}),
      }
  }
}

/** The request, or undefined while a required file is missing. */
export function buildRequest(state: WizardState): ImportInput | undefined {
  if (missingFiles(state).length > 0) return undefined
  const f = state.files
  switch (state.kind) {
    case 'fasta':
      return {
        kind: 'fasta',
        files: {
          fasta: f.fasta!.ref,
          ...(state.fasta.labelFrom === 'table' && f.labels ? { labels: f.labels.ref } : {}),
        },
        options: { ...sequenceRules(state), label: fastaLabel(state) },
      }
    case 'csv': {
      const c = state.csv
      return {
        kind: 'csv',
        files: { table: f.table!.ref },
        options: {
          ...sequenceRules(state),
          sequenceColumn: c.sequenceColumn || 'sequence',
          labelColumn: c.labelColumn || 'label',
          ...(optional(c.weightColumn) ? { weightColumn: c.weightColumn } : {}),
          ...(optional(c.groupColumn) ? { groupColumn: c.groupColumn } : {}),
          ...(optional(c.idColumn) ? { idColumn: c.idColumn } : {}),
          ...(c.delimiter !== 'auto' ? { delimiter: c.delimiter } : {}),
        },
      }
    }
    case 'genome': {
      const g = state.genome
      const chromosomes = list(g.chromosomes)
      return {
        kind: 'genome',
        files: { genome: f.genome!.ref, peaks: f.peaks!.ref, ...(f.index ? { index: f.index.ref } : {}) },
        options: {
          length: g.length,
          ...(g.stride ? { stride: g.stride } : {}),
          rule: g.rule,
          ...(g.rule === 'overlap' ? { overlapFraction: g.overlapFraction } : {}),
          ...(chromosomes.length > 0 ? { chromosomes } : {}),
          nPolicy: g.nPolicy,
          ambiguity: g.ambiguity,
        },
      }
    }
    case 'npy':
      return {
        kind: 'npy',
        files:
          state.npy.layout === 'npz'
            ? { npz: f.npz!.ref }
            : {
                X: f.X!.ref,
                y: f.y!.ref,
                ...(f.w ? { w: f.w.ref } : {}),
                ...(f.ids ? { ids: f.ids.ref } : {}),
              },
        options: { labels: labelSpec(state) },
      }
  }
}

/**
 * A request that only reads the layout of the files: every header as the label (FASTA), or column names
 * no file has (CSV, label tables), so the preview reports the real columns. Undefined when the real
 * preview already says all there is to know.
 */
export function probeRequest(state: WizardState): ImportInput | undefined {
  const f = state.files
  if (state.kind === 'fasta' && f.fasta) {
    return {
      kind: 'fasta',
      files: { fasta: f.fasta.ref },
      options: {
        alphabet: state.sequence.alphabet,
        ambiguity: 'keep',
        labels: { kind: 'multiclass' },
        label: { from: 'regex', pattern: '^(.*)$' },
      },
    }
  }
  if (state.kind === 'csv' && f.table) {
    return {
      kind: 'csv',
      files: { table: f.table.ref },
      options: { sequenceColumn: '\u2063', labelColumn: '\u2063', labels: { kind: 'multiclass' } },
    }
  }
  return undefined
}

/** The label table of a FASTA import, probed as a CSV for its columns. */
export function tableProbeRequest(state: WizardState): ImportInput | undefined {
  const labels = state.files.labels
  if (state.kind !== 'fasta' || !labels) return undefined
  return {
    kind: 'csv',
    files: { table: labels.ref },
    options: { sequenceColumn: '\u2063', labelColumn: '\u2063', labels: { kind: 'multiclass' } },
  }
}

/** Column guesses from a header: the first name that looks like each role. */
export function guessColumns(columns: readonly string[]): {
  sequence?: string
  label?: string
  weight?: string
  group?: string
  id?: string
} {
  const find = (pattern: RegExp, except: (string | undefined)[] = []) =>
    columns.find((c) => pattern.test(c.trim()) && !except.includes(c))
  const sequence = find(/^(seq|sequence|sequences|dna|protein|peptide)$/i) ?? find(/seq/i)
  const label =
    find(/^(label|labels|class|y|target|bound|activity|category)$/i, [sequence]) ??
    find(/label|class/i, [sequence])
  const weight = find(/^(weight|weights|w|sample_weight)$/i, [sequence, label])
  const group = find(/^(group|chrom|chromosome|chr|cluster|gene)$/i, [sequence, label, weight])
  const id = find(/^(id|name|ids|identifier|record|seq_id)$/i, [sequence, label, weight, group])
  return { sequence, label, weight, group, id }
}

/**
 * What the FASTA label rule takes from one header, exactly as the importer does (import-fasta.ts):
 * the label, or why there is none.
 */
export function labelFromHeader(
  header: string,
  fasta: WizardState['fasta'],
): { label: string } | { problem: 'noMatch' | 'badPattern' | 'groups' } {
  if (fasta.labelFrom === 'regex') {
    let pattern: RegExp
    try {
      pattern = new RegExp(fasta.pattern)
    } catch {
      return { problem: 'badPattern' }
    }
    const groups = new RegExp(`${fasta.pattern}|`).exec('')!.length - 1
    if (groups !== 1) return { problem: 'groups' }
    const match = pattern.exec(header)
    return match?.[1] !== undefined ? { label: match[1] } : { problem: 'noMatch' }
  }
  if (fasta.labelFrom === 'token') {
    const prefix = `${fasta.key.trim() || 'label'}=`
    const token = header.split(/[\s|;,]+/).find((t) => t.startsWith(prefix))
    return token !== undefined ? { label: token.slice(prefix.length) } : { problem: 'noMatch' }
  }
  const fields = header.split('|')
  return fields.length > 1 ? { label: fields[fields.length - 1]!.trim() } : { problem: 'noMatch' }
}

/** A name for the data set from its main file: `peaks-chr22.bed.gz` → `peaks-chr22`. */
export function nameFromFile(state: WizardState): string {
  const main = fileSlots(state)[0]
  const file = main ? state.files[main.slot] : null
  if (!file) return ''
  return file.name.replace(/(\.gz)?$/i, '').replace(/\.[^.]+$/, '') || file.name
}
