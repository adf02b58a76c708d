/**
 * The project schema, as an ordered list of migrations.
 *
 * A project file's `PRAGMA user_version` is the version of the last migration applied to it. Opening an
 * older project applies the missing ones in order, each in its own transaction (see `migrate.ts`). To change
 * the schema, append an entry with the next version; never edit one that has shipped, since files out there
 * were made by it.
 *
 * Conventions for the tables: ids are `INTEGER PRIMARY KEY AUTOINCREMENT` (an id is never reused after a
 * delete, so a stale id in the UI cannot point at a different row); JSON columns are TEXT checked with
 * `json_valid`; timestamps are ISO 8601 UTC text (`2025-01-31T12:00:00.000Z`).
 */
import type { Database } from 'better-sqlite3'
import { SEQLAB_APPLICATION_ID } from './format'

export interface Migration {
  /** The schema version this migration leads to: 1, 2, 3, ... without gaps. */
  version: number
  description: string
  /**
   * Changes the schema. It runs inside a transaction with foreign keys off (so tables can be rebuilt the
   * way https://sqlite.org/lang_altertable.html describes); `PRAGMA foreign_key_check` runs before commit.
   */
  up(db: Database): void
}

const initialSchema = `
-- The project itself: exactly one row.
CREATE TABLE project (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL                       -- SeqLab version that created the file
);

CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,                    -- e.g. 'sequences', 'gene_pairs', 'embeddings'
  alphabet      TEXT,                             -- e.g. 'dna', 'protein'; NULL when not sequences
  label_kind    TEXT NOT NULL,                    -- e.g. 'binary', 'multiclass', 'regression'
  label_set     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(label_set)),
  seq_length    INTEGER,                          -- NULL when lengths vary
  source        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(source)),   -- provenance: files, options
  created_at    TEXT NOT NULL,
  record_count  INTEGER NOT NULL DEFAULT 0
);

-- One row per record of a dataset, in the order of the source (idx is 0-based and dense).
CREATE TABLE records (
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  record_id   TEXT,                               -- id in the source file (FASTA header, BED name)
  sequence,                                       -- TEXT, or BLOB of packed codes; never one-hot
  label,                                          -- TEXT class or REAL target (no affinity: kept as given)
  weight      REAL,
  group_key   TEXT,                               -- cluster or gene, for splits that keep groups together
  chrom       TEXT,
  start       INTEGER,                            -- 0-based, half-open like BED
  end         INTEGER,
  PRIMARY KEY (dataset_id, idx)
);

CREATE TABLE splits (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  method      TEXT NOT NULL,                      -- e.g. 'stratified', 'chromosome', 'homology', 'by_gene'
  params      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
  seed        INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  frozen_at   TEXT                                -- set once the split is used; then it never changes
);
CREATE INDEX splits_by_dataset ON splits (dataset_id);

-- part is 'train', 'val', 'test' or a fold number (0, 1, ...). INTEGER affinity turns a fold bound as the
-- JS number 3 (a REAL) into the integer 3, and leaves the words as text.
CREATE TABLE split_assignments (
  split_id    INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
  record_idx  INTEGER NOT NULL,
  part        INTEGER NOT NULL
              CHECK (part IN ('train', 'val', 'test') OR (typeof(part) = 'integer' AND part >= 0)),
  PRIMARY KEY (split_id, record_idx)
) WITHOUT ROWID;
CREATE INDEX split_assignments_by_part ON split_assignments (split_id, part, record_idx);

-- Deleting a dataset or split that experiments use fails (no cascade): results are not thrown away silently.
CREATE TABLE experiments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  name         TEXT NOT NULL,
  dataset_id   INTEGER NOT NULL REFERENCES datasets(id),
  split_id     INTEGER REFERENCES splits(id),
  spec         TEXT NOT NULL CHECK (json_valid(spec)),
  seed         INTEGER NOT NULL,
  backend      TEXT,                              -- TensorFlow.js backend that ran it
  status       TEXT NOT NULL DEFAULT 'queued'
               CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT,
  best_epoch   INTEGER,
  metrics      TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
  error        TEXT CHECK (error IS NULL OR json_valid(error))      -- ErrorData when status is 'failed'
);
CREATE INDEX experiments_by_dataset ON experiments (dataset_id);
CREATE INDEX experiments_by_split ON experiments (split_id);
CREATE INDEX experiments_by_status ON experiments (status);

CREATE TABLE epoch_metrics (
  experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
  epoch          INTEGER NOT NULL,
  metrics        TEXT NOT NULL CHECK (json_valid(metrics)),
  seconds        REAL,
  PRIMARY KEY (experiment_id, epoch)
) WITHOUT ROWID;

-- Binary results: weights, optimizer state, curves, predictions. experiment_id is NULL for project-level ones.
CREATE TABLE artefacts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  experiment_id  INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL,                   -- 'weights', 'optimizer', 'curve', 'predictions', ...
  name           TEXT NOT NULL,
  media_type     TEXT NOT NULL DEFAULT 'application/octet-stream',
  data           BLOB NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX artefacts_by_experiment ON artefacts (experiment_id, kind, name);
`

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'project, datasets, records, splits, experiments, epoch metrics, artefacts',
    up(db) {
      db.exec(initialSchema)
      db.pragma(`application_id = ${SEQLAB_APPLICATION_ID}`)
    },
  },
  {
    version: 2,
    description: 'frozen splits cannot change: triggers on splits and split_assignments',
    up(db) {
      // A frozen split is what experiments were trained and tested on: changing it would make their
      // results lie. Deleting the whole split (or its data set) stays possible: by the time the cascade
      // deletes the assignments, the split row is gone, so the delete trigger lets them go.
      db.exec(`
        CREATE TRIGGER split_assignments_frozen_insert BEFORE INSERT ON split_assignments
        WHEN EXISTS (SELECT 1 FROM splits WHERE id = NEW.split_id AND frozen_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'split is frozen: its assignments cannot change'); END;

        CREATE TRIGGER split_assignments_frozen_update BEFORE UPDATE ON split_assignments
        WHEN EXISTS (SELECT 1 FROM splits WHERE id = OLD.split_id AND frozen_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'split is frozen: its assignments cannot change'); END;

        CREATE TRIGGER split_assignments_frozen_delete BEFORE DELETE ON split_assignments
        WHEN EXISTS (SELECT 1 FROM splits WHERE id = OLD.split_id AND frozen_at IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'split is frozen: its assignments cannot change'); END;

        CREATE TRIGGER splits_frozen_update BEFORE UPDATE OF dataset_id, method, params, seed, frozen_at ON splits
        WHEN OLD.frozen_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'split is frozen: only its name can change'); END;
      `)
    },
  },
  {
    version: 3,
    description: 'experiments: folds in epoch_metrics, the process running an experiment',
    up(db) {
      // A k-fold experiment trains one model per fold, each with its own epochs 1, 2, …: the fold joins the
      // key (0 for an experiment without folds). `runner` names the process that runs an experiment
      // ("host pid"), so a project opened elsewhere can tell a live run from one a crash left 'running'.
      db.exec(`
        CREATE TABLE epoch_metrics_v3 (
          experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
          fold           INTEGER NOT NULL DEFAULT 0,
          epoch          INTEGER NOT NULL,
          metrics        TEXT NOT NULL CHECK (json_valid(metrics)),
          seconds        REAL,
          PRIMARY KEY (experiment_id, fold, epoch)
        ) WITHOUT ROWID;
        INSERT INTO epoch_metrics_v3 (experiment_id, fold, epoch, metrics, seconds)
          SELECT experiment_id, 0, epoch, metrics, seconds FROM epoch_metrics;
        DROP TABLE epoch_metrics;
        ALTER TABLE epoch_metrics_v3 RENAME TO epoch_metrics;
        ALTER TABLE experiments ADD COLUMN runner TEXT;
      `)
    },
  },
  {
    version: 4,
    description: 'gene regulatory networks: expression matrices (sparse, by gene blocks) and gene-pair sets',
    up(db) {
      // An expression data set (datasets.kind 'expression') is a genes × cells matrix. Only non-zeros are
      // stored, gene-major (CSR) in blocks of consecutive genes, each block one row of three little-endian
      // arrays: indptr (Uint32, genes + 1 offsets from 0), cell numbers (Uint32) and values (Float32). Blocks
      // keep every BLOB far below SQLite's size limit and let a reader fetch only the genes it needs.
      // A gene-pair data set (datasets.kind 'gene_pairs') keeps its pairs as `records` (label, group_key =
      // the TF's name, record_id = "TF→target") so splits and summaries work as for any data set; here are
      // their genes as row numbers of the expression data set they were imported against, and, when known
      // (the simulator), the pair's kind: 0 unrelated, 1 direct edge, 2 indirect (a→c→b).
      db.exec(`
        CREATE TABLE expression_sets (
          dataset_id      INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
          n_genes         INTEGER NOT NULL,
          n_cells         INTEGER NOT NULL,
          non_zeros       INTEGER NOT NULL,
          normalization   TEXT NOT NULL CHECK (normalization IN ('none', 'log1p_cp10k')),
          integer_valued  INTEGER NOT NULL,            -- 1 when the values as imported were whole counts
          max_value       REAL NOT NULL                -- of the values as imported
        );
        CREATE TABLE expression_genes (
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          idx         INTEGER NOT NULL,
          gene_id     TEXT NOT NULL,
          symbol      TEXT NOT NULL,
          PRIMARY KEY (dataset_id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE expression_cells (
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          idx         INTEGER NOT NULL,
          cell_id     TEXT NOT NULL,
          PRIMARY KEY (dataset_id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE expression_blocks (
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          gene_start  INTEGER NOT NULL,
          gene_end    INTEGER NOT NULL CHECK (gene_end > gene_start),
          indptr      BLOB NOT NULL,
          indices     BLOB NOT NULL,
          data        BLOB NOT NULL
        );
        CREATE UNIQUE INDEX expression_blocks_by_gene ON expression_blocks (dataset_id, gene_start);

        -- Deleting an expression data set that pair sets use fails (no cascade), as for experiments.
        CREATE TABLE pair_sets (
          dataset_id     INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
          expression_id  INTEGER NOT NULL REFERENCES datasets(id),
          label_kind     TEXT NOT NULL CHECK (label_kind IN ('binary', 'directed')),
          tfs            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tfs))   -- gene numbers of the TFs
        );
        CREATE INDEX pair_sets_by_expression ON pair_sets (expression_id);
        CREATE TABLE gene_pairs (
          dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
          idx         INTEGER NOT NULL,                -- the record's idx
          gene_a      INTEGER NOT NULL,
          gene_b      INTEGER NOT NULL,
          kind        INTEGER CHECK (kind IS NULL OR kind IN (0, 1, 2)),
          PRIMARY KEY (dataset_id, idx)
        ) WITHOUT ROWID;
      `)
    },
  },
]

/** The schema version a list of migrations leads to (0 for none). */
export function latestVersion(list: readonly Migration[]): number {
  return list.length === 0 ? 0 : list[list.length - 1]!.version
}

/** Throws (a bug, not an input error) unless versions run 1, 2, 3, ... without gaps. */
export function assertWellFormed(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `Migration #${i} has version ${m.version}; expected ${i + 1} (versions run 1, 2, 3, ...)`,
      )
    }
  })
}
