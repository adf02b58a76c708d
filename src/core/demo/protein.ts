/**
 * The protein demo data set: protein families by mutation (DESIGN.md, demo data), generated
 * deterministically from a seed, small enough to make in a moment, shaped so that the way a split is made
 * shows in the scores.
 *
 * The model, in order:
 * - Background: amino acids drawn with the Swiss-Prot composition (UniProtKB/Swiss-Prot release statistics,
 *   rounded: L 9.7 %, A 8.3 %, G 7.1 % … W 1.1 %).
 * - Classes (the labels, "functions"): each tilts the composition, three residues of its own drawn 1.8 ×
 *   as often, and owns a 12-residue signature motif.
 * - Families: each class has `familiesPerClass` unrelated ancestors, 110–200 residues from the class's
 *   composition, with the class motif (a quarter of its positions mutated per family) at a random place.
 * - Members: `membersPerFamily` copies of the ancestor, each position substituted with a family-specific
 *   probability of 15–45 % (identity to the ancestor ~55–85 %, to each other ~35–70 %), by a residue of the
 *   class composition; 1 % deletions and 1 % insertions per position.
 *
 * What it is for: members of one family are far above 30 % identity to each other, members of different
 * families are not (unrelated random ancestors). A random split puts relatives of every test protein in
 * training, where family-specific words identify the class; a homology split at 0.3 holds out whole
 * families, leaving only the weaker class signal (composition and the mutated motif), so the scores drop,
 * as they do on real protein families when a split stops leaking.
 */
import { Rng, sampler, type Seed } from '../random'
import { PROTEIN } from '../sequence/alphabet'

/** Swiss-Prot amino-acid composition (%), in PROTEIN's code order A C D E F G H I K L M N P Q R S T V W Y. */
const SWISS_PROT: readonly number[] = [
  8.25, 1.37, 5.45, 6.75, 3.86, 7.07, 2.27, 5.96, 5.84, 9.66, 2.42, 4.06, 4.7, 3.93, 5.53, 6.56, 5.34, 6.87,
  1.08, 2.92,
]

export interface ProteinDemoOptions {
  seed?: Seed
  classes?: number
  familiesPerClass?: number
  membersPerFamily?: number
}

export const PROTEIN_DEMO = {
  seed: 7,
  classes: 4,
  familiesPerClass: 15,
  membersPerFamily: 10,
} as const

export interface ProteinDemoRecord {
  /** `c{class}_f{family}_m{member}`, 1-based. */
  id: string
  sequence: string
  /** `class1` … */
  label: string
  /** 0-based family number across classes. */
  family: number
}

/** The demo proteins, in class, family, member order. */
export function proteinDemo(options: ProteinDemoOptions = {}): ProteinDemoRecord[] {
  const seed = options.seed ?? PROTEIN_DEMO.seed
  const classes = options.classes ?? PROTEIN_DEMO.classes
  const familiesPerClass = options.familiesPerClass ?? PROTEIN_DEMO.familiesPerClass
  const members = options.membersPerFamily ?? PROTEIN_DEMO.membersPerFamily
  const root = Rng.seeded(seed).fork('protein-demo')
  const out: ProteinDemoRecord[] = []
  for (let c = 0; c < classes; c++) {
    const rng = root.fork(`class${c}`)
    const weights = SWISS_PROT.slice()
    const tilted = rng.shuffle(Array.from({ length: 20 }, (_, i) => i)).slice(0, 3)
    for (const a of tilted) weights[a] = weights[a]! * 1.8
    const draw = sampler(weights)
    const motif = Array.from({ length: 12 }, () => draw(rng))
    for (let f = 0; f < familiesPerClass; f++) {
      const family = c * familiesPerClass + f
      const fr = rng.fork(`family${f}`)
      const length = 110 + fr.int(91)
      const ancestor = Array.from({ length }, () => draw(fr))
      const familyMotif = motif.map((a) => (fr.float() < 0.25 ? draw(fr) : a))
      const at = fr.int(length - familyMotif.length)
      ancestor.splice(at, familyMotif.length, ...familyMotif)
      const substitution = 0.15 + fr.float() * 0.3
      for (let m = 0; m < members; m++) {
        const copy: number[] = []
        for (const residue of ancestor) {
          if (fr.float() < 0.01) continue
          copy.push(fr.float() < substitution ? draw(fr) : residue)
          if (fr.float() < 0.01) copy.push(draw(fr))
        }
        out.push({
          id: `c${c + 1}_f${f + 1}_m${m + 1}`,
          sequence: PROTEIN.fromCodes(copy),
          label: `class${c + 1}`,
          family,
        })
      }
    }
  }
  return out
}
