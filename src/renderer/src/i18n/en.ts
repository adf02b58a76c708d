/**
 * English strings. zh-CN.ts has exactly the same keys and the same {placeholders} (test/unit/i18n.test.ts).
 * vue-i18n treats { } @ $ | as syntax: keep them out of the text except for placeholders.
 */
const en = {
  common: {
    loading: 'Loading…',
    cancel: 'Cancel',
    save: 'Save',
  },
  header: {
    home: 'SeqLab, back to projects',
    currentProject: 'Open project',
    jobs: 'Jobs',
    jobsRunning: 'Jobs ({count} running)',
    engine: 'Engine',
    settings: 'Settings',
  },
  nav: {
    label: 'Workflow',
    overview: 'Overview',
    data: 'Data',
    splits: 'Splits',
    train: 'Train',
    results: 'Results',
    predict: 'Predict',
    reports: 'Reports',
    status: {
      empty: 'Nothing here yet',
      ready: 'Ready',
      attention: 'Needs attention',
    },
  },
  projects: {
    title: 'Projects',
    intro: 'A project holds one question: its data sets, splits, trained models and results, in one file.',
    new: 'New project',
    open: 'Open project…',
    recent: 'Recent projects',
    empty: 'No projects yet. Create one to start, or open a .seqlab file you already have.',
    lastOpened: 'Opened {time}',
    missing: 'File not found',
    missingHint: 'The file was moved or deleted. Forget it here, or open it from its new place.',
    actions: {
      open: 'Open',
      rename: 'Rename',
      delete: 'Delete',
      forget: 'Forget',
    },
    forgotten: '“{name}” is no longer listed. The file itself was not touched.',
    deleted: '“{name}” was deleted.',
    renamed: 'Renamed to “{name}”.',
  },
  projectName: {
    label: 'Project name',
    placeholder: 'e.g. JunD on chr22',
    required: 'A project needs a name.',
    tooLong: 'A project name has at most {max} characters.',
  },
  newProject: {
    title: 'New project',
    location: 'Location',
    chooseLocation: 'Choose location…',
    defaultLocation: 'Saved in your projects folder.',
    chosenLocation: 'Saved as {file}',
    create: 'Create project',
  },
  renameProject: {
    title: 'Rename “{name}”',
    confirm: 'Rename',
  },
  deleteProject: {
    title: 'Delete “{name}”?',
    body: 'This deletes the project file, with its data sets, splits, experiments and trained models. It cannot be undone.',
    file: 'File: {path}',
    confirm: 'Delete project',
  },
  openProject: {
    title: 'Open a project',
    pickTitle: 'Open a SeqLab project',
    filterName: 'SeqLab projects',
    uploadTitle: 'From this computer',
    uploadHint: 'Choose a .seqlab file. It is copied into the workspace and opened from there.',
    chooseFile: 'Choose a .seqlab file…',
    uploading: 'Uploading {file}: {percent}%',
    workspaceTitle: 'From the workspace folder',
    workspaceHint: 'Projects already in the folder SeqLab was started with.',
    workspaceEmpty: 'No .seqlab files here.',
    up: 'Up one folder',
    root: 'Workspace',
    folder: 'Folder',
  },
  overview: {
    title: 'Overview',
    rename: 'Rename project',
    file: 'File',
    schemaVersion: 'Format version',
    created: 'Created',
    counts: {
      datasets: 'Data sets',
      splits: 'Splits',
      experiments: 'Experiments',
    },
    nextStep: 'Next step',
    next: {
      import: {
        title: 'Import a data set',
        body: 'Bring in labelled sequences or expression data; SeqLab checks them and shows the class balance.',
      },
      split: {
        title: 'Make a split',
        body: 'Set aside validation and test data that do not leak into training.',
      },
      train: {
        title: 'Train a first model',
        body: 'Start from the recommended recipe for your data; you can compare variants later.',
      },
      compare: {
        title: 'Compare your experiments',
        body: 'See which model does best, with the uncertainty of each number.',
      },
    },
    go: 'Go to {step}',
    engine: 'Engine',
    engineDetails: 'Details',
    runningJobs: 'Running jobs',
    close: 'Close project',
    notOpenHint: 'Open it again from the project list.',
    backToProjects: 'Back to projects',
  },
  steps: {
    notYet: 'This step is not available in this version of SeqLab yet.',
    data: 'Import labelled data (sequences with their classes, BED regions on a genome, or single-cell expression for gene pairs), check it line by line, and see its class balance.',
    splits:
      'Divide a data set into training, validation and test parts that do not leak into each other: by chromosome, by homology cluster, or by gene.',
    train:
      'Train models in the background with recommended settings, handle class imbalance on the training data only, and follow the progress epoch by epoch.',
    results:
      'Compare experiments on the metrics that matter under imbalance (AUPRC first), each with its uncertainty.',
    predict: 'Score new sequences or gene pairs with a trained model and export the predictions.',
    reports: 'Collect charts, tables and settings into a report you can share.',
  },
  jobs: {
    title: 'Jobs',
    empty: 'No jobs yet. Imports and trainings will appear here while they run.',
    cancel: 'Cancel',
    cancelled: 'Cancel requested for “{title}”.',
    eta: 'about {time} left',
    progress: '{done} of {total}',
    progressOf: 'Progress of “{title}”',
    state: {
      queued: 'Queued',
      running: 'Running',
      done: 'Done',
      failed: 'Failed',
      cancelled: 'Cancelled',
    },
  },
  engine: {
    title: 'Engine',
    intro:
      'SeqLab trains models with TensorFlow.js and uses the fastest backend that works on this computer.',
    backend: 'Backend in use',
    backends: {
      tensorflow: 'TensorFlow (native): the fastest, uses the TensorFlow library installed with SeqLab.',
      wasm: 'WebAssembly: the dependable default, works offline on every computer.',
      cpu: 'Plain JavaScript: slow, used only when nothing else works.',
    },
    tried: 'What was tried',
    triedOk: 'works',
    triedFailed: 'not available',
    tfjsVersion: 'TensorFlow.js version',
    threads: 'Threads',
    appTitle: 'This installation',
    version: 'SeqLab version',
    transport: 'Running as',
    transports: {
      electron: 'Desktop app',
      web: 'Web page served by SeqLab on this computer',
    },
    node: 'Node.js',
    electron: 'Electron',
    sqlite: 'SQLite',
    platform: 'Platform',
    capabilities: 'Can use',
    caps: {
      nativeDialogs: 'system file dialogs',
      upload: 'file uploads',
      workspace: 'a workspace folder',
    },
  },
  settings: {
    title: 'Settings',
    language: 'Language',
    languageHint: 'Labels, messages and numbers follow this language.',
    theme: 'Theme',
    themeFollowsSystem: 'Light or dark follows your system setting (now: {mode}).',
    themeLight: 'light',
    themeDark: 'dark',
    engineLink: 'Engine and versions',
  },
  time: {
    justNow: 'just now',
    seconds: '{n} s',
    minutes: '{n} min',
    hours: '{n} h',
  },
  errors: {
    predict: {
      not_finished:
        'This experiment has not finished training, so it cannot score yet. Wait for it to finish, or choose another.',
      not_sequences:
        'This experiment does not read sequences (it was trained on gene pairs), so it cannot score them. Choose an experiment on DNA or protein.',
      bad_letter:
        'The sequence “{id}” has the letter “{letter}” at position {position}, which the model cannot read. Check that it is written in the model’s alphabet.',
      wrong_length:
        'The sequence “{id}” has {found} letters, but the model reads windows of exactly {length}. Give it exactly {length}; a longer one can be scored window by window (tick the box under the sequences).',
      too_long:
        'The sequence “{id}” has {found} letters, more than the {length} the model reads. Score it window by window (tick the box under the sequences).',
      empty_sequence: 'The record “{id}” has no sequence.',
      no_sequences: 'There are no sequences to score.',
      too_many:
        'This would score {count} sequences or windows; one prediction scores at most {max}. Use a larger stride, or a smaller region or file.',
      bad_region: 'The region is empty: its end must come after its start.',
      unknown_chromosome: 'The genome has no chromosome “{chrom}”.',
      region_outside: 'The region is not inside chromosome “{chrom}” as this genome file holds it.',
      region_too_short: 'The region is shorter than one window of {length} bases.',
      scan_needs_dna: 'Only a model trained on DNA can scan a genome.',
      no_result:
        'These scores are no longer available (SeqLab keeps the last few until it closes). Score again.',
      not_a_scan: 'Only a scan of a genome region has a score track.',
      bedgraph_needs_scan:
        'A bedGraph needs genome positions: only a scan of a region can be saved as one. Save these scores as CSV.',
      export_failed: 'The file cannot be written here. Choose a folder you may write to, with space left.',
    },
    internal: 'An unexpected error occurred: {message}',
    where: 'File: {file}',
    line: 'Line {line}',
    record: 'Record {record}',
    expected: 'Expected: {expected}',
    found: 'Found: {found}',
    project: {
      not_found: 'The project file does not exist any more. It may have been moved or deleted.',
      exists: 'A file with this name already exists. Choose another name or location.',
      not_sqlite:
        'This file is not a SeqLab project (it is not a database at all). Check that you chose the right file.',
      not_seqlab: 'This database was not made by SeqLab, so it cannot be opened as a project.',
      too_new: 'This project was saved by a newer version of SeqLab. Update SeqLab to open it.',
      corrupt: 'The project file is damaged and cannot be read. If you have a copy, open that instead.',
      locked: 'The project is in use by another SeqLab window or program. Close it there and try again.',
      readonly:
        'SeqLab cannot write to this project file. Check the file’s permissions or copy it somewhere writable.',
      not_open: 'This project is no longer open.',
      needs_upgrade:
        'This project uses an older file format (version {version}; this SeqLab uses version {current}) and was opened read-only, so it cannot be upgraded. Open it once with write access; SeqLab keeps a backup copy first.',
      no_access:
        'SeqLab has no permission to read this project file or its folder. Ask for access, or copy the project to a folder you can read.',
      folder_not_found: 'The folder for this project does not exist. Choose an existing folder.',
      disk_full:
        'The disk is full, so the change was not saved to the project. Free some space and try again.',
      name_invalid: 'A project needs a name of 1 to 120 characters.',
      unknown_recent:
        'This project is no longer in the recent list, or it lies outside the workspace folder. Open it from its folder instead.',
    },
    files: {
      outside_workspace: 'This path is outside the workspace folder, so SeqLab will not use it.',
      unknown_ref: 'SeqLab no longer knows this file. Choose it again.',
      wrong_mode: 'This file was chosen for reading only and cannot be changed.',
      no_dialog: 'File dialogs are only available in the desktop app.',
      no_workspace: 'SeqLab was started without a workspace folder.',
      not_found: 'This file does not exist in the workspace.',
      is_directory: 'This is a folder, not a file. Choose a file inside it.',
      not_a_directory: 'This is a file, not a folder.',
      upload_too_large:
        'The file is larger than the upload limit ({limit} bytes). Put it in the workspace folder and choose it from there.',
      write_failed: 'SeqLab cannot write the file there. Choose a folder you may write to, with space left.',
    },
    call: {
      invalid_argument:
        'SeqLab sent a value that was not accepted ({field}). This is a bug; please report it.',
      unknown: 'This version of the server does not know that request. Update SeqLab.',
      bad_json: 'The request could not be read by the server.',
      bad_method:
        'The server refused the request because it was sent the wrong way. This is a bug; please report it.',
      not_found:
        'The server does not know this address. Reload the page; if it happens again, this is a bug, please report it.',
      too_large:
        'The request holds more data than the server accepts at once. Send less at a time; if it keeps failing, please report it.',
    },
    dataset: {
      bad_label: 'The label is not a number, but the labels were declared numeric.',
      bad_letter: '“{letter}” at position {position} is not a letter this alphabet allows.',
      bad_pattern:
        'The label pattern is not a regular expression with exactly one capture group ( … ) around the label.',
      bad_weight: 'The weight is not a number of 0 or more.',
      duplicate_id: 'The id “{id}” appears twice; each record needs its own id.',
      empty: 'There are no records to import in this file.',
      empty_sequence: 'The sequence is empty.',
      export_failed:
        'The CSV file cannot be written there. Choose a folder you may write to, with space left.',
      file_not_found: 'This file cannot be read any more. Choose it again.',
      in_use: '“{name}” is used by {experiments} experiment(s). Delete those experiments first.',
      in_use_by_pairs:
        'The expression matrix “{name}” is used by {pairSets} gene-pair data set(s). Delete those first.',
      label_outside_set:
        'The label is not one of the classes you declared. Check the label set in the options.',
      missing_column: 'The file has no column named “{column}”. Choose one of its columns.',
      missing_file: 'Labels from a table need the table file: choose it in the files step.',
      missing_labels: '{count} record(s) have no row in the label table.',
      no_label: 'The label rule finds no label in this header.',
      not_a_file: 'This is a folder, not a file.',
      not_found: 'This data set is not in the project any more.',
      ragged_length: 'The sequence does not have the length every sequence must have.',
    },
    split: {
      bad_fold: 'This split has no such fold.',
      not_found: 'This split is not in the project any more.',
      wrong_dataset: 'This split belongs to another data set.',
    },
    splits: {
      bad_fraction: 'The {part} fraction must be at least 0 and below 1.',
      bad_input: 'The records and their labels do not match up. This is a bug; please report it.',
      bad_k: 'Cross-validation needs at least 2 folds, and no more folds than records.',
      bad_labels: 'Some labels cannot be used to stratify (for example an empty label).',
      chromosome_in_two_parts: 'Chromosome “{chrom}” is ticked for both validation and test. Choose one.',
      class_too_small: 'Every class has fewer records than the {k} folds. Choose fewer folds.',
      empty_train: 'Nothing would be left for training. Hold out less.',
      fractions_sum: 'Validation and test together leave nothing to train on. Make them smaller.',
      needs_pairs:
        'Folds by transcription factor split gene-pair data sets only. Choose another split method.',
      no_chromosomes: 'Some records have no chromosome, so this split cannot keep chromosomes apart.',
      no_groups: 'Some records have no group, so this split cannot keep groups together.',
      tool_alphabet: '{tool} clusters proteins only. Use the built-in search for DNA.',
      tool_failed:
        '{tool} stopped with an error. Check that it is installed correctly, or use the built-in search.',
      tool_missing: '{tool} is not installed on this computer. Install it, or use the built-in search.',
      tool_threshold:
        'cd-hit cannot cluster proteins below 40% identity. Use the built-in search or mmseqs2.',
      too_few_groups: 'There are {groups} groups, fewer than the {k} folds. Choose fewer folds.',
      unknown_chromosome: 'The data set has no chromosome “{chrom}”.',
    },
    fasta: {
      bad_letter: '“{letter}” is not a letter this alphabet allows (column {column}).',
      empty: 'The file has no FASTA records (lines starting with “>”).',
      no_header:
        'A FASTA file must start with a header line beginning with “>”. Is this really a FASTA file?',
    },
    bed: {
      bad_blocks: 'The BED blocks of this line do not fit its interval.',
      bad_columns: 'This line has a different number of columns from the others.',
      bad_number: 'A coordinate on this line is not a whole number.',
      bad_strand: 'The strand must be +, - or a dot.',
      peak_outside: 'The narrowPeak summit lies outside its peak.',
      start_after_end: 'The start of the interval is after its end.',
    },
    csv: {
      bad_quote: 'There is text after a closing quote. A quote inside a quoted field is written twice ("").',
      empty: 'The file is empty.',
      ragged: 'This row has a different number of fields from the header.',
      unclosed_quote: 'A quoted field starts here and is never closed.',
    },
    npy: {
      bad_header: 'The NumPy header of this file cannot be read.',
      bad_magic: 'This is not a NumPy .npy file.',
      bad_shape:
        'The array does not have the shape SeqLab expects (X: records × length × 4; y: one label per record).',
      fortran_order:
        'The array is stored in Fortran order. Save it again with np.save(np.ascontiguousarray(a)).',
      not_one_hot:
        'A row of X is not one-hot: each position needs exactly one 1 among A, C, G, T (or all 0 for N).',
      shape_mismatch: 'The arrays do not have the same number of rows.',
      truncated: 'The file ends too early: it was cut short while copying or saving.',
      unsupported_dtype: 'The array holds a kind of number SeqLab cannot read.',
      unsupported_version: 'This .npy format version is not supported.',
    },
    npz: {
      missing_member: 'The .npz archive lacks an array SeqLab needs (X and y).',
    },
    zip: {
      bad_zip: 'The archive is damaged.',
      encrypted: 'The archive is encrypted; SeqLab cannot read it.',
      not_zip: 'This is not a zip archive (an .npz file is one), or its end is missing.',
      unsupported_compression:
        'The archive uses a compression NumPy does not write; save it again with np.savez.',
    },
    windows: {
      bad_fraction: 'The overlap share must be above 0 and at most 1.',
      bad_length: 'The window length must be a whole number of bases from 1 to 1,000,000.',
      bad_n_policy: 'Windows with N are either skipped or kept.',
      bad_offset: 'A sequence of the genome has an invalid offset.',
      bad_peak: 'This peak is not a valid interval.',
      bad_region: 'A region is not valid: it needs 0 ≤ start < end.',
      bad_rule: 'The label rule must be centre, overlap or summit.',
      bad_stride: 'The stride must be a whole number of bases from 1 to 1,000,000.',
      no_summit:
        'The summit rule needs narrowPeak summits inside their peaks. Choose the centre or overlap rule for a BED file.',
      overlapping_records: 'Two records of the genome cover the same bases.',
      overlapping_regions: 'Two of the chosen regions overlap.',
      region_length: 'A genome record named like a region holds a different number of bases.',
      unknown_chromosome: 'The genome has no chromosome “{chrom}”. Is the peaks file from another assembly?',
    },
    gzip: {
      corrupt: 'The file looks compressed (gzip) but cannot be unpacked: it may be damaged or cut short.',
    },
    text: {
      not_utf8: 'This is not UTF-8 text: a binary file, or text saved in another encoding. Save it as UTF-8.',
    },
    experiment: {
      already_run: 'This experiment has already run. Resume it, or train a new one.',
      bad_spec: 'A training setting is not valid ({field}). Check it in the form and try again.',
      no_predictions: 'This experiment has no results yet: it has not finished training.',
      not_binary: 'Experiments train yes/no classifiers: this data set does not have two classes.',
      not_found: 'This experiment is not in the project any more.',
      not_resumable: 'Only a cancelled, interrupted or failed experiment can be resumed.',
      part_one_class:
        'A part of this split holds only one class, so the model cannot be evaluated on it. Make a split with both classes in validation and test.',
      running: 'This experiment is still training. Cancel it first.',
      no_weights: 'This experiment has no trained model yet: not even its first epoch has finished.',
      bad_spec_file:
        'The experiment spec file is not valid JSON. Check it for a missing comma, quote or bracket.',
    },
    model: {
      bad_param: 'A model setting is not valid ({param}). Check it under Advanced.',
      unknown_motif: 'SeqLab does not know this motif.',
      weights_mismatch: 'The stored model does not fit this setup. Train it again.',
      no_weights: 'The motif scan is not trained, so it has no model to export or to look into.',
      not_exportable:
        'This kind of model ({kind}) cannot be exported yet: only the sequence models (logistic regression, MLP, CNN) can.',
    },
    training: {
      bad_weight: 'A sample weight is not a number of 0 or more. Check the weights in the data set.',
    },
    calibration: {
      one_class:
        'The validation part holds only one class, so the scores cannot be calibrated on it. Make a split with both classes in validation.',
      bad_param: 'A calibration setting is not valid ({param}). This is a bug; please report it.',
    },
    metrics: {
      bad_input: 'The scores cannot be evaluated. This is a bug; please report it.',
      one_class: 'This part holds only one class, so AUROC and AUPRC cannot be computed on it.',
    },
    compare: {
      bad_option: 'A comparison setting is not valid ({option}).',
      too_few: 'Too few positives or negatives to compare these experiments.',
      undefined_metric: 'The metric cannot be computed on this part.',
      not_paired:
        'These experiments were not scored on the same records, so they cannot be compared pair by pair.',
    },
    cli: {
      bad_arguments:
        'Give the arrays as X.npy and y.npy, optionally followed by w.npy and ids.npy, or give a single .npz file.',
      bad_option: 'The option {field} is not valid. Check its value in the command.',
      missing_dataset: 'Say which data set to split: give its id after the project file.',
      missing_option: 'The command lacks a required option. Run it with --help to see what it needs.',
    },
    demo: {
      bad_motif: 'The binding-site matrix of the demo is not valid. This is a bug; please report it.',
      bad_windows:
        'The number of demo windows is out of range: it must be at least 500 and at most the full size of the demo.',
      unknown: 'There is no demo by this name. The demos available are tf-binding and grn.',
    },
    expression: {
      already_normalized:
        'This expression matrix has been normalised already, so it cannot be normalised again. Choose no normalisation, or import the raw counts.',
      bad_quote:
        'A quoted field is not closed on its line, or text follows its closing quote. A quote inside a quoted field is written twice ("").',
      duplicate_cell: 'The cell “{name}” appears twice. Each cell (barcode) may be listed only once.',
      duplicate_gene:
        'The gene “{name}” appears twice. Each gene may be listed only once: merge or rename the duplicates.',
      empty: 'The expression table has no values: the file is empty or holds only the header line.',
      h5_bad_matrix:
        'The HDF5 file holds no expression matrix SeqLab can read: it needs an AnnData X (dense, CSR or CSC) or a Cell Ranger “matrix” group whose arrays fit its shape.',
      h5_not_hdf5: 'This file is not an HDF5 file. Choose an AnnData .h5ad or a Cell Ranger .h5 file.',
      h5_unavailable:
        'HDF5 files cannot be read because the h5wasm package is missing. Reinstall SeqLab (npm ci), or export the matrix as CSV or a 10x folder.',
      missing_matrix:
        'The folder holds no matrix.mtx (or matrix.mtx.gz). Choose the 10x folder with matrix.mtx, features.tsv and barcodes.tsv.',
      negative:
        'The file holds a negative value. Expression must be counts or normalised counts of 0 or more; scaled or centred data cannot be imported.',
      no_columns:
        'The table has row names but no columns of values. Check that the values are separated by commas or tabs.',
      not_finite:
        'A value is missing, not a finite number (NA, NaN, Inf) or too large. Fill in or remove such values before importing.',
      not_counts:
        'Log-normalisation needs raw counts, but this matrix holds values that are not whole numbers (it looks normalised already). Choose no normalisation.',
      not_numeric:
        'A value in the column “{columnName}” is not a number. Expression values must be numbers of 0 or more.',
      ragged: 'This row has a different number of fields from the header or the rows above it.',
    },
    fai: {
      bad_columns:
        'A line of the .fai index does not have 5 tab-separated columns. Rebuild the index with samtools faidx, or import the genome without it.',
      bad_number:
        'A number in the .fai index is not valid. Rebuild the index with samtools faidx, or import the genome without it.',
      compressed:
        'A gzip-compressed FASTA file cannot be indexed. Decompress it first (gunzip), then choose it again.',
      mismatch:
        'The FASTA file does not match its .fai index: the index was made for another version of the file. Rebuild it with samtools faidx, or import the genome without it.',
      out_of_range:
        'The region lies outside its sequence in the genome file. Check the coordinates, and that all files use the same genome assembly.',
      uneven_lines:
        'The lines of a sequence in this FASTA file differ in length, so it cannot be indexed. Rewrap it so that all lines but the last of each sequence have the same length (for example with seqkit seq -w 60).',
    },
    grn: {
      bad_gene: 'A gene number lies outside the expression matrix. This is a bug; please report it.',
      bad_neighbours:
        'The number of neighbour genes must be at least 1 and less than the number of genes in the matrix (DeepDRIM uses 10).',
      bad_pairs:
        'The gene pairs do not match their transcription factors and labels. This is a bug; please report it.',
      bad_simulation:
        'These simulation settings cannot make a network: it needs at least 2 transcription factors, enough genes for their targets, and no more links between transcription factors than there are pairs of them.',
      export_failed:
        'The edge list cannot be written there. Choose a folder you may write to, with space left.',
      no_cells: 'The expression matrix has no cells. Check that you chose the right file.',
      no_predictions:
        'This experiment has no test predictions yet. Wait until it has finished, or run it again.',
      not_expression: 'This data set is not an expression matrix. Choose a data set imported as expression.',
      not_pairs: 'This data set is not a set of gene pairs. Choose a data set imported as gene pairs.',
      too_few_tfs:
        'There are too few transcription factors for this many folds by transcription factor. Choose fewer folds, or add pairs for more transcription factors.',
    },
    pca: {
      bad_input:
        'The embedding matrix cannot be projected: it needs at least 2 rows, and 1 to min(rows, columns) components.',
      no_sequences: 'This data set has no DNA or protein sequences to place on a map.',
      split_dataset: 'That split belongs to another data set. Choose a split of this data set.',
      too_few: 'A map needs at least 2 records.',
      wrong_feature:
        'The “{feature}” features do not fit these sequences. Choose composition for proteins, k-mers for DNA.',
      bad_value:
        'Row {record} of the embedding matrix holds a value that is not a finite number (column {column}).',
    },
    homology: {
      bad_band:
        'The alignment band does not reach both ends of a global alignment. This is a bug; please report it.',
      bad_clstr: 'This is not a line of a cd-hit .clstr file. Choose the .clstr file that cd-hit wrote.',
      bad_cluster_tsv:
        'A line of the mmseqs2 cluster file is not “representative, tab, member”. Choose the _cluster.tsv file that mmseqs2 wrote.',
      bad_fractions:
        'The parts must add up to 100%, with some records in training and in test; validation may be 0.',
      bad_labels:
        'The labels cannot be used for this split: each sequence needs one class label, a whole number or a name.',
      bad_param:
        'A setting of the homology search (alignment scores, word length, band width) is not valid. Check these settings.',
      bad_threshold: 'The identity threshold must be above 0 and at most 1 (for example 0.3 to 1.0).',
      empty_part:
        'At the identity threshold {threshold}, every sequence has a close homologue in training, so none could be held out. Raise the threshold, so that fewer sequences count as homologues.',
      too_long: 'The sequences are too long for the aligner. Shorten or split them first.',
    },
    imbalance: {
      bad_input: 'The data given to resampling do not fit together. This is a bug; please report it.',
      bad_labels:
        'Resampling received class labels that are not whole numbers. This is a bug; please report it.',
      bad_param: 'A resampling setting is not valid ({param}). Check it in the training form.',
      bad_value:
        'The features hold a value that is not a finite number (column {column}). Fill in missing values before resampling.',
      empty_train:
        'The training part of this split is empty, so there is nothing to resample. Choose a split with training records.',
      needs_features:
        '{sampler} makes new records from feature values, so it cannot work on raw sequences. Use random over- or under-sampling, or numeric features.',
      no_hard_samples:
        'No record of class {label} lies near another class, so ADASYN has nothing to focus on. Use SMOTE instead.',
      nothing_generated:
        'ADASYN would add no new record to class {label}. Ask for more new records, or use SMOTE.',
      one_class:
        'The training part holds only one class, so there is nothing to balance. Resampling needs at least 2 classes.',
      too_few_samples:
        'Class {label} has only {count} training records, too few for this many neighbours ({param}). Choose fewer neighbours.',
    },
    resampling: {
      amount_not_used:
        'The setting “{param}” does not apply to this resampling method. Random undersampling takes a ratio, Tomek links take no amount, and only random oversampling takes a shrinkage.',
      class_weights_missing:
        'Custom class weights need a weight for at least one class. Classes left out weigh 1.',
      class_weights_unused:
        'Class weights were given, but the weighting is “{weighting}”. Choose custom weights to use them.',
      level_and_ratio:
        'Give the amount of resampling either as a level (+100%, +200%, …) or as a ratio, not both.',
      needs_numbers:
        'SMOTE, Borderline-SMOTE and ADASYN make new training sequences by blending the numbers of two similar ones. A one-hot sequence is letters, not amounts: halfway between an A and a G is no base at all. Choose k-mer counts as input, or use random oversampling (it repeats real sequences), random undersampling, or reverse-complement augmentation.',
      one_class:
        'The training part holds only one class, so there is nothing to balance. Choose a split with both classes in training.',
      ratio_too_low:
        'The ratio {ratio} asks for fewer rare records per common one than training already has ({current}). Oversampling only adds records and undersampling only removes them: choose a ratio above {current}.',
      too_few_neighbours:
        'The method looks for {param} = {value} neighbours among {count} training records, but needs at least one more than that. Choose {param} of {max} or less.',
      too_large:
        'The k-mer counts of {records} training records ({columns} columns each) are too large to resample in memory. Choose a shorter k-mer, or random over- or undersampling.',
    },
    interpret: {
      bad_activations: 'The filter activations do not match the sequences. This is a bug; please report it.',
      bad_gradients:
        'The model’s gradients for this sequence cannot be used: their size is wrong, or they are not numbers. If the model trained normally, this is a bug; please report it.',
      bad_kernel:
        'The model’s first-layer filters cannot be read as DNA motifs: their shape is wrong, or they hold values that are not numbers. This works only for a convolutional network trained on DNA.',
      bad_matrix:
        'This is not a position matrix: it needs four rows A, C, G, T of the same length, with numbers of 0 or more.',
      bad_option: 'An interpretation setting is not valid ({option}). Check it and try again.',
      bad_scores:
        'The model returned unusable scores (too few, or not numbers). If the model trained normally, this is a bug; please report it.',
      bad_sequence:
        'The sequence to interpret is empty or holds codes other than A, C, G, T and N. This is a bug; please report it.',
      not_cnn:
        'What the model learned can be shown for a convolutional network trained on DNA windows (one-hot) only.',
      bad_window:
        'The model reads windows of {length} bases: give a sequence of exactly that length, made of A, C, G, T and N.',
    },
    jaspar: {
      bad_format:
        'This is not a JASPAR motif file as SeqLab reads it: each motif is a line “>ID NAME” followed by four rows of counts for A, C, G and T.',
      empty: 'The file holds no motif. Check that you chose the right JASPAR file.',
    },
    job: {
      cancelled: 'This job was cancelled before it finished.',
      not_found:
        'SeqLab no longer knows this job: it may have finished a while ago and been cleared from the list.',
    },
    markov: {
      bad_counts: 'The table of the Markov background model is not valid. This is a bug; please report it.',
      bad_length: 'A generated sequence was given an invalid length. This is a bug; please report it.',
      bad_order: 'The order of the Markov background model is out of range. This is a bug; please report it.',
      bad_pseudocount: 'The pseudocount of the Markov background model must be a number of 0 or more.',
    },
    motif: {
      bad_background:
        'The background frequencies must be four numbers above 0, for A, C, G and T, that add up to 1.',
      bad_pseudocount: 'The pseudocount of the motif must be a number of 0 or more.',
    },
    mtx: {
      bad_entry:
        'An entry of the matrix file is not valid: it must be “row column value”, with a whole-number value when the header says integer.',
      bad_feature:
        'A line of the features file has no gene id. Each line is: id, tab, symbol, and optionally a tab and a type.',
      bad_header:
        'The matrix file is empty or is not a Matrix Market file (its first line starts with %%MatrixMarket). Choose the matrix.mtx file.',
      bad_index:
        'A row or column number of the matrix file is outside the size its size line declares (numbers start at 1).',
      bad_size:
        'The size line of the matrix file (rows, columns, entries) is missing or is not three whole numbers.',
      barcodes_mismatch:
        'The barcodes file lists a different number of cells from the matrix. Check that both files come from the same sample.',
      duplicate_entry:
        'The matrix file has two entries for the same gene and cell. Each gene and cell may have only one.',
      entry_count:
        'The matrix file holds a different number of entries from the one its size line declares. It may have been cut short: copy it again.',
      features_mismatch:
        'The features file lists a different number of genes from the matrix. Check that both files come from the same sample.',
      unsupported:
        'SeqLab cannot read this kind of Matrix Market file. It reads sparse coordinate matrices of integer, real or pattern values.',
    },
    neighbors: {
      bad_param: 'A nearest-neighbour setting is not valid ({param}). Check it and try again.',
      bad_value:
        'The features hold a value that is not a finite number (column {column}). Fill in missing values first.',
      too_few_points:
        '{k} neighbours were asked for, but only {available} records can be neighbours. Choose at most {available}.',
    },
    pairs: {
      ambiguous_gene:
        'The gene name “{gene}” matches several genes of the expression matrix. Use the gene id instead.',
      bad_label:
        'The label of a pair must be 0 (no link), 1 (the first gene regulates the second) or 2 (the second regulates the first).',
      bad_line:
        'This line has too few fields. A pair line is “geneA geneB label”; an edge line is “TF target”.',
      bad_ratio: 'The ratio of negative pairs must be a number of 0 or more (DeepDRIM uses 1).',
      self_pair: 'A gene is paired with itself. Each pair needs two different genes.',
      unknown_gene:
        'The gene “{gene}” is not in the expression matrix. Check its spelling, and that both files use the same species and gene names.',
    },
    random: {
      bad_bound: 'A random number was asked for with an invalid range. This is a bug; please report it.',
      bad_label: 'A random stream was asked for without a name. This is a bug; please report it.',
      bad_normal:
        'A normal distribution was asked for with an invalid mean or standard deviation. This is a bug; please report it.',
      bad_probability: 'A probability outside 0 to 1 was given. This is a bug; please report it.',
      bad_seed: 'A random seed must be a whole number of 0 or more.',
      bad_state: 'The saved state of a random generator is not valid. This is a bug; please report it.',
      bad_weights:
        'Random weights must be finite numbers of 0 or more, not all 0. This is a bug; please report it.',
      empty_choice: 'A random choice was asked for from an empty list. This is a bug; please report it.',
    },
    sequence: {
      bad_blob:
        'A sequence stored in the project is damaged and cannot be read. Restore the project from a backup copy, or import the data set again.',
      bad_letter:
        'The letter at position {position} is not part of the sequence’s alphabet. Check that you chose the right alphabet (DNA or protein).',
      bad_parameter: 'A setting of the sequence encoding is not valid ({name}). Check it and try again.',
      no_complement:
        'Only DNA has a reverse complement, and these are protein sequences. Turn the reverse-complement option off for protein data.',
      unknown_alphabet: 'SeqLab does not know this sequence alphabet. It knows DNA and protein.',
    },
    server: {
      port_in_use:
        'Port {port} is already used by another program. Start SeqLab on another port (--port), or close that program.',
    },
    weights: {
      bad_base:
        'The per-record weights do not fit the records: there are more or fewer of them, or one is not a number of 0 or more. Check the weights in the data set.',
      bad_indices: 'A training record number lies outside the data set. This is a bug; please report it.',
      bad_labels:
        'These labels cannot be used for class weights: they must be classes, either whole numbers or names, not a mix of both.',
      bad_spec:
        'The class weights are not valid: they are either balanced, or one weight for each class of this data set.',
      bad_weight: 'The weight of class “{label}” must be a finite number of 0 or more.',
      empty_train:
        'The training part of this split is empty, so there is nothing to weight. Choose a split with training records.',
      unknown_class: 'There is no class “{label}” in this data set. Give weights only for its own classes.',
      zero_class_total:
        'All training records of class “{label}” have weight 0, so the class cannot be balanced. Give some of them a weight above 0.',
    },
    connection: {
      offline: 'SeqLab cannot reach its server. Check that it is still running, then try again.',
      unauthorized: 'The server did not accept this window. Open SeqLab again from the link it printed.',
      http: 'The server could not answer this request.',
      bad_response: 'The server sent an answer SeqLab cannot read.',
    },
  },
  format: {
    oneIn: '1 in {n}',
    noPositives: 'no positives',
    ci: '{value} (95% CI {low}–{high})',
  },
  charts: {
    export: {
      png: 'Save this chart as a PNG image',
      svg: 'Save this chart as an SVG drawing',
    },
    parts: {
      train: 'Training',
      val: 'Validation',
      test: 'Test',
    },
    partsInline: {
      train: 'training',
      val: 'validation',
      test: 'test',
    },
    axis: {
      splitPart: 'Part of the split',
      records: 'Records (count)',
      weightSum: 'Sum of training weights',
      class: 'Class',
      trainingRecords: 'Training records (count)',
      epoch: 'Epoch',
      loss: 'Loss (cross-entropy)',
      auprc: 'AUPRC (0–1)',
      auroc: 'ROC-AUC (0–1)',
      fpr: 'False positive rate (1 − specificity)',
      tpr: 'True positive rate (sensitivity)',
      recall: 'Recall (share of positives found)',
      precision: 'Precision (share of calls that are right)',
      predicted: 'Predicted class',
      predictedProbability: 'Predicted probability (mean per bin)',
      observedRate: 'Observed share of positives',
      actual: 'True class',
    },
    balance: {
      title: 'Class balance per part',
      measure: 'Show counts or weight sums',
      counts: 'Counts',
      weightSums: 'Weight sums',
      partRate: '{part}: {percent} “{minority}” ({oneIn})',
      severe:
        'Only 1 record in {n} is “{minority}”: accuracy is meaningless here (always answering “{majority}” scores {accuracy}). Watch AUPRC, where random guessing gives {rate}.',
      moderate:
        '1 record in {n} is “{minority}”: accuracy flatters a model here. Compare AUPRC (random guessing gives {rate}) and ROC-AUC.',
      balanced:
        'The classes are roughly balanced ({percent} “{minority}”): ROC-AUC and AUPRC both read well, but still look at more than accuracy.',
      partWithoutMinority:
        'The {part} part has no “{minority}” records, so its AUPRC and ROC-AUC cannot be computed. Choose a split that puts some in every part.',
      empty: 'No records yet.',
      weights:
        'In training, one “{minority}” record weighs as much as {factor} “{majority}” records, so both classes count equally.',
    },
    resampling: {
      title: 'Training records before and after resampling',
      titleWith: 'Training records before and after {method}',
      before: 'Before',
      after: 'After',
      hint: 'Resampling changes the training part only; validation and test keep their real balance, so their metrics stay honest.',
    },
    leakage: {
      axisX: 'Identity to the closest training sequence (%)',
      axisY: 'Held-out sequences',
      series: 'Held-out sequences',
      threshold: 'threshold {percent}',
      tooltip: '{lo}–{hi} identity: {count} sequences',
    },
    embedding: {
      axis: 'PC{n} ({percent} of the variance)',
    },
    groups: {
      title: {
        chromosome: 'Positives per chromosome',
        cluster: 'Positives per homology cluster',
      },
      axis: {
        chromosome: 'Chromosome',
        cluster: 'Cluster',
      },
      axisPositives: '“{name}” records (count)',
      axisPositivesPlain: 'Positive records (count)',
      positives: 'Positives',
      records: 'Records',
      rate: 'Positive rate',
      part: 'Part',
    },
    training: {
      title: 'Training curves',
      metric: 'Metric in the lower panel',
      train: 'training',
      validation: 'validation',
      best: 'best epoch (its weights are kept)',
      bestAt: '{name}: best epoch {epoch}',
      epochN: 'Epoch {epoch}',
      series: {
        trainLoss: 'training loss',
        valLoss: 'validation loss',
        trainAuprc: 'training AUPRC',
        valAuprc: 'validation AUPRC',
        trainAuroc: 'training ROC-AUC',
        valAuroc: 'validation ROC-AUC',
      },
    },
    reliability: {
      title: 'Reliability, {part} part',
      perfect: 'perfectly calibrated',
      asTrained: 'as trained',
      calibrated: 'calibrated',
      tooltip: '{name} ({which}): predicted {predicted}, observed {observed} ({n} records)',
      bins: {
        quantile: 'Equal-count bins',
        uniform: 'Equal-width bins',
      },
    },
    curves: {
      rocTitle: 'ROC curves, {part} part',
      prTitle: 'Precision–recall curves, {part} part',
      chance: 'random guessing',
      chanceAt: 'random guessing: {value}',
    },
    confusion: {
      title: 'Confusion matrix, {part} part',
      cell: '{count} “{actual}” records predicted as “{predicted}” ({percent} of the row)',
      shows: {
        val: 'Validation part: move the threshold here; the test part then uses it unchanged.',
        test: 'Test part, at the threshold chosen on validation.',
      },
      threshold: 'A record is called “{positive}” when its score is at least {value}.',
      move: 'Threshold',
      precision: 'Of {called} records called “{positive}”, {tp} are ({percent}, the precision).',
      recall: 'Of {actual} “{positive}” records, {tp} are found ({percent}, the recall).',
    },
    track: {
      title: 'Scores along {chromosome}',
      position: 'Position on {chromosome} (bp)',
      score: 'Score',
      scoreAxis: 'Score (0–1)',
      threshold: 'threshold {value} (chosen on validation)',
      region: 'Known region',
      hint: 'Scroll over the track or drag the handles below it to zoom in.',
      regions: 'Shaded bands are known regions (e.g. peaks).',
    },
    mutagenesis: {
      title: 'In-silico mutagenesis and saliency',
      base: 'Base',
      position: 'Position in the window',
      saliency: 'saliency (gradient × input)',
      drop: 'mean drop in score (mutagenesis)',
      saliencyAxis: 'Saliency',
      dropAxis: 'Score drop',
      cell: 'Position {position}: {from} → {to} changes the score from {before} to {after} ({delta})',
      at: 'Position {position} ({base})',
      hint: 'Top: each cell is the change in the score when that base is put at that position, vermilion where the score falls and blue where it rises; grey cells are the bases present. Bottom: the saliency of each base present, and the mean drop over its three substitutions.',
    },
  },
  tables: {
    export: {
      csv: 'Save this table as a CSV file',
    },
    metrics: {
      title: 'Metrics on the {part} part',
      experiment: 'Experiment',
      random: 'Random guessing',
      positiveRate: '{percent} positive',
      f1: 'F1',
      mcc: 'MCC',
      balancedAccuracy: 'Balanced accuracy',
      difference: 'Difference vs best: real?',
      best: 'Best',
      notTested: 'Not tested',
      verdict: {
        real: 'Real difference',
        notReal: 'Could be chance',
        unknown: 'Unclear',
      },
      ciRange: '95% CI {low} to {high}',
      sd: '± {sd} (sd)',
      note: 'AUPRC first: with rare positives it shows what a model adds over random guessing. F1, MCC and balanced accuracy use the threshold chosen on validation.',
      csvPositiveRate: 'Positive rate (AUPRC of random guessing)',
      csvDelta: 'Difference vs best',
      csvDeltaLow: 'Difference CI low',
      csvDeltaHigh: 'Difference CI high',
      csvVerdict: 'Real difference?',
    },
  },
  files: {
    choose: 'Choose…',
    change: 'Change…',
    clear: 'Remove',
    none: 'No file chosen',
    optional: 'optional',
    uploadTitle: 'From this computer',
    uploadHint: 'The file is copied into the workspace folder and read from there.',
    chooseUpload: 'Choose a file to upload…',
    uploading: 'Uploading {file}: {percent}%',
    workspaceTitle: 'From the workspace folder',
    workspaceHint: 'Files of the expected kind are listed ({types}).',
    workspace: 'Workspace',
    up: 'Up one folder',
    folder: 'Folder',
    emptyFolder: 'No matching files in this folder.',
    hidden: '{count} other file(s) hidden',
    showAll: 'Show every file',
    bytes: '{n} bytes',
    save: {
      hint: 'SeqLab writes the file into the workspace folder. Choose a folder below and a name.',
      name: 'File name',
      nameRequired: 'The file needs a name.',
      noFolders: 'Choose the folder in the list above; the name cannot contain / or \\.',
      willSave: 'Saved as {path}',
      confirm: 'Save here',
    },
  },
  data: {
    lead: 'Data sets of this project: labelled sequences, checked line by line when they were imported.',
    import: 'Import a data set',
    importFirst: 'Import your first data set',
    empty:
      'No data sets yet. Import labelled sequences (FASTA or CSV), a genome with peaks, or NumPy arrays.',
    open: 'Open',
    columns: {
      name: 'Data set',
      records: 'Records',
      balance: 'Class balance',
      length: 'Length',
      files: 'Source files',
      actions: 'Actions',
    },
    kinds: {
      fasta: 'FASTA',
      csv: 'CSV/TSV',
      genome: 'Genome + peaks',
      npy: 'NumPy arrays',
      other: 'Other',
    },
    labelKinds: {
      binary: 'two classes',
      multiclass: 'several classes',
      numeric: 'numeric target',
    },
    lengthAll: '{n} bp, all',
    lengthRange: '{min}–{max} bp (varies)',
    glance: {
      minority: '{percent} “{name}” ({oneIn})',
      none: 'One class only',
      numeric: 'Numeric target',
    },
    delete: {
      button: 'Delete',
      title: 'Delete “{name}”?',
      body: 'This deletes its {records} records and its {splits} split(s) from the project. It cannot be undone.',
      inUse:
        'It cannot be deleted: {count} experiment(s) were trained on it. Delete those experiments first; their results would otherwise lose their data.',
      confirm: 'Delete data set',
      done: '“{name}” was deleted.',
    },
  },
  wizard: {
    title: 'Import a data set',
    backToData: 'Back to data sets',
    back: 'Back',
    next: 'Next',
    importButton: 'Import',
    steps: {
      kind: 'Kind',
      files: 'Files',
      options: 'Options',
      preview: 'Preview',
      name: 'Name',
      import: 'Import',
    },
    kind: {
      label: 'Kind of data',
      lead: 'What kind of data do you have?',
      later: 'Comes in a later version',
      fasta: {
        title: 'Labelled FASTA',
        body: 'Sequences with their class in the header (e.g. label=1) or in a separate table.',
        files: '.fa, .fasta (gzip too); optional CSV/TSV of labels',
      },
      csv: {
        title: 'CSV / TSV table',
        body: 'One row per sequence, with a sequence column and a label column (weights and groups optional).',
        files: '.csv, .tsv',
      },
      genome: {
        title: 'Genome + peaks',
        body: 'A genome cut into windows, labelled bound where ChIP-seq peaks are (the JunD recipe).',
        files: 'genome FASTA (+ .fai), peaks BED or narrowPeak',
      },
      npy: {
        title: 'NumPy arrays',
        body: 'One-hot arrays as in the DeepChem/Kaggle JunD set: X, y and optional weights and ids.',
        files: '.npz, or X.npy + y.npy',
      },
      expression: {
        title: 'Expression + gene pairs',
        body: 'Single-cell expression with regulator → target pairs, for gene regulatory networks.',
      },
      embeddings: {
        title: 'Embeddings',
        body: 'Protein language-model vectors with their labels.',
      },
    },
    files: {
      lead: {
        fasta: 'Choose the FASTA file. Add a label table only when the labels are not in the headers.',
        csv: 'Choose the table. The first line must name the columns.',
        genome:
          'Choose the genome and the peaks. With the .fai index the genome is read chromosome by chromosome.',
        npy: 'Choose one .npz archive, or the separate .npy arrays.',
      },
      npz: 'One .npz archive',
      arrays: 'Separate .npy files',
      slots: {
        fasta: { label: 'FASTA file', hint: 'Each record: a “>” header line, then its sequence.' },
        labels: { label: 'Label table', hint: 'CSV or TSV with one row per record id.' },
        table: { label: 'Table', hint: 'CSV or TSV; the separator is detected.' },
        genome: { label: 'Genome FASTA', hint: 'For example chr22.fa.' },
        peaks: { label: 'Peaks', hint: 'BED or narrowPeak, plain or gzip.' },
        index: {
          label: 'FASTA index (.fai)',
          hint: 'Made by samtools faidx; lists the chromosomes up front.',
        },
        npz: { label: '.npz archive', hint: 'With arrays named X and y (w and ids optional).' },
        X: { label: 'X.npy', hint: 'One-hot sequences: records × length × 4 (A, C, G, T).' },
        y: { label: 'y.npy', hint: 'One label per record.' },
        w: { label: 'w.npy', hint: 'One weight per record.' },
        ids: { label: 'ids.npy', hint: 'Record names, e.g. chr22:16000000-16000101.' },
      },
    },
    options: {
      labelSource: 'Where the label is',
      labelFrom: {
        token: 'A key=value token in the header',
        regex: 'A pattern (regular expression)',
        lastField: 'The last field of the header, after the last vertical bar',
        table: 'The label table',
        tableNeedsFile: 'A label table (choose one in the files step)',
      },
      tokenKey: 'Key',
      tokenHint: 'A header like “>seq1 {key}=1” gives the label 1.',
      pattern: 'Pattern',
      patternHint: 'The part in round brackets is the label, e.g. class=(\\w+).',
      firstHeader: 'First header',
      extracts: 'Label found',
      exampleCount: 'A label is found in {found} of the first {total} headers.',
      exampleProblem: {
        noMatch: 'no label in this header',
        badPattern: 'the pattern is not a valid regular expression',
        groups: 'the pattern needs exactly one ( … ) around the label',
      },
      columns: 'Columns',
      sequenceColumn: 'Sequence column',
      labelColumn: 'Label column',
      weightColumn: 'Weight column',
      groupColumn: 'Group column',
      idColumn: 'Id column',
      noColumn: '(none)',
      noColumnsYet: 'The columns appear once the file is read.',
      delimiter: 'Separator',
      delimiters: {
        auto: 'Detect',
        comma: 'Comma',
        tab: 'Tab',
        semicolon: 'Semicolon',
      },
      alphabet: 'Alphabet',
      alphabets: {
        dna: 'DNA (A, C, G, T, N)',
        protein: 'Protein (amino acids)',
      },
      advancedSequence: 'Advanced: ambiguity codes and lengths',
      ambiguity: 'IUPAC ambiguity codes (R, Y, S, W, …)',
      ambiguities: {
        reject: 'Refuse them',
        asN: 'Read them as N',
        keep: 'Keep them',
      },
      lengthRule: 'Sequence lengths',
      lengthRules: {
        any: 'Any length',
        same: 'All as long as the first',
        fixed: 'Exactly this length',
      },
      labelSet: 'Labels',
      labelKinds: {
        binary: 'Two classes',
        multiclass: 'Several classes',
        numeric: 'A number',
      },
      negative: 'Negative class, as written',
      positive: 'Positive class, as written',
      swap: 'Swap',
      binaryHint: 'The positive class is the one the model looks for (e.g. bound); it is stored as 1.',
      classes: 'Allowed classes',
      classesPlaceholder: 'Every class found in the file',
      numericHint: 'Each label is read as a number (regression).',
      suggestion: 'The file’s labels are “{negative}” and “{positive}”, not the pair above.',
      useThese: 'Use these',
      windows: 'Windows',
      windowLength: 'Window length',
      bp: 'bp',
      stride: 'Stride',
      strideDefault: '{n} (adjacent)',
      rule: 'A window is labelled bound when',
      rules: {
        centre: 'its centre base lies in a peak (the seed’s rule)',
        overlap: 'a peak covers a share of it',
        summit: 'a narrowPeak summit lies in it',
      },
      overlapFraction: 'Share of the window',
      windowSummary: '{length}-bp windows every {stride} bp, bound when {rule}.',
      advancedGenome: 'Advanced: N, ambiguity codes, chromosomes',
      nPolicy: 'Windows containing N',
      nPolicies: {
        skip: 'Skip them (recommended)',
        keep: 'Keep them',
      },
      genomeAmbiguity: 'IUPAC ambiguity codes in the genome',
      chromosomes: 'Only these chromosomes',
      allChromosomes: 'All chromosomes',
      chromosomesHint: 'Separated by commas; 22 matches chr22.',
      chromosomesKnown: 'The genome has: {list}',
      genomeLabels: 'Windows are labelled 0 (not bound) and 1 (bound) from the peaks.',
    },
    live: {
      reading: 'Reading the start of the file…',
      summary: 'Live check of the first {records} records: labels {labels}; problems: {problems}.',
    },
    preview: {
      lead: 'The start of the file as SeqLab reads it with these options. Nothing is imported yet.',
      refresh: 'Read again',
      scannedStart: 'Read the first {count} records (the import reads the whole file).',
      scannedAll: 'Read all {count} records.',
      scannedGenome:
        'The first {count} windows, from the start of the first sequence (the import cuts the whole genome).',
      layout: 'What was found',
      letters: 'Letters',
      alphabetGuess: {
        dna: 'DNA',
        protein: 'protein',
        unknown: 'unclear',
      },
      lengths: 'Lengths',
      lengthAll: 'all {n} letters',
      lengthRange: '{min} to {max} letters',
      columns: 'Columns',
      delimiter: 'Separator',
      chromosomes: 'Chromosomes',
      arrays: 'Arrays',
      classesSoFar: 'Classes so far',
      labelAsWritten: 'Label in the file',
      count: 'Records',
      share: 'Share',
      readAs: 'Read as',
      role: {
        negative: 'negative (0)',
        positive: 'positive (1)',
        outside: 'not in the label set',
      },
      emptyLabel: '(empty)',
      noLabels: 'No labels read yet.',
      firstRecords: 'First {count} records',
      line: 'Line',
      record: 'Record',
      id: 'Id',
      sequence: 'Sequence',
      length: 'Length',
      label: 'Label',
      weight: 'Weight',
      group: 'Group',
      position: 'Position',
    },
    problems: {
      title: 'Problems found: {count}',
      line: 'Line {line}: ',
      record: 'Record {record}: ',
      fileLine: '{file}, line {line}: ',
      fileRecord: '{file}, record {record}: ',
      fileOnly: 'In {file}: ',
      column: 'column {n}',
      position: 'position {n}',
      badLetter: {
        dna: '“{letter}” is not a DNA letter ({where})',
        protein: '“{letter}” is not an amino-acid letter ({where})',
      },
      more: 'The preview stops at 20 problems; there may be more further on.',
    },
    blocked: {
      files: 'Choose the {file} first.',
      columns: 'Choose the sequence and the label columns.',
      reading: 'Reading the files…',
      problems: 'Fix the {count} problem(s) above first: change the options (Back) or correct the file.',
      failed: 'The files could not be read.',
      noRecords: 'No records were found.',
      name: 'Give the data set a name.',
      nameTooLong: 'A name has at most 200 characters.',
    },
    name: {
      lead: 'Name the data set as you will look for it later, e.g. “JunD chr22, 101-bp windows”.',
      label: 'Data set name',
      summary: '{kind} from {files}',
    },
    import: {
      running: 'Importing “{name}”: every record is checked; nothing is saved until all are.',
      starting: 'Starting…',
      cancel: 'Cancel import',
      progress: 'Import progress',
      phases: {
        reading: 'Reading and checking records',
        bases: 'Cutting the genome into windows',
        saving: 'Saving',
        rows: 'Reading rows',
      },
      amount: {
        megabytes: '{done} of {total} MB',
        bases: '{done} of {total} bases',
      },
      doneTitle: 'Imported',
      done: '“{name}” is in the project.',
      open: 'Open the data set',
      cancelledTitle: 'Import cancelled',
      cancelled: 'Nothing was written: the project is exactly as it was before.',
      failed: 'The import stopped at a problem. Nothing was written to the project.',
      backToPreview: 'Back to the preview',
    },
  },
  datasetView: {
    allDatasets: '← All data sets',
    makeSplit: 'Make a split',
    files: 'Source files',
    labels: 'Labels',
    binarySet: 'negative “{negative}”, positive “{positive}”',
    imported: 'Imported',
    stats: {
      records: 'Records',
      positiveRate: 'Share “{name}”',
      classes: 'Classes',
      length: 'Length (bp)',
      splits: 'Splits',
    },
    lengthStats: '{min}–{max}, mean {mean}',
    guidance: {
      severe:
        '1 record in {n} is “{minority}”: accuracy is meaningless here (always answering “{majority}” scores {accuracy}). Watch AUPRC, where random guessing gives {rate}.',
      moderate:
        '1 record in {n} is “{minority}”: accuracy flatters a model here. Compare AUPRC (random guessing gives {rate}) and ROC-AUC.',
      balanced:
        'The classes are roughly balanced ({percent} “{minority}”): ROC-AUC and AUPRC both read well.',
      oneClass: 'Only one class is present: a classifier cannot learn anything from it.',
    },
    classes: 'Classes',
    table: {
      class: 'Class (as in the file)',
      stored: 'Stored as',
      records: 'Records',
      share: 'Share',
      weightSum: 'Sum of weights',
    },
    weights: {
      balanced: 'The weights balance the classes: each class weighs the same in training (the seed’s check).',
      unbalanced: 'In total, “{heavy}” weighs {factor} times as much as “{light}” in training.',
      none: 'No per-record weights: class weights can be chosen when training.',
    },
    splits: 'Splits of this data set',
    noSplits: 'No splits yet. Make one before training: it decides which records are kept for testing.',
    export: {
      button: 'Export as CSV',
      title: 'Export the split as CSV',
      allFolds: 'All folds (fold numbers)',
      foldAsTest: 'Fold {fold} as test',
      done: 'Saved {rows} rows to {file}.',
      doneWeights: 'Saved {rows} rows with their weights to {file}.',
    },
  },
  embeddingView: {
    title: 'Map of the records (PCA)',
    hint: 'Each dot is a record, placed by the two directions along which its features vary most. Records that cluster by class are easy to tell apart; a split that keeps clusters apart leaks less.',
    feature: 'Features',
    features: {
      aac: 'Amino-acid composition',
      dpc: 'Dipeptide composition',
      kmer: '{k}-mer counts',
    },
    colourBy: 'Colour by',
    byLabel: 'Label',
    bySplit: 'Split part',
    split: 'Split',
    draw: 'Draw map',
    sampled: 'A seeded sample of {n} of the {of} records is shown.',
    all: 'All {n} records are shown.',
    explained: 'The two axes explain {pc1} and {pc2} of the variance.',
    chartTitle: 'PCA of {feature}',
    aria: 'Scatter plot of {n} records on the first two principal components, coloured by {by}: {groups}.',
    noPart: 'not in the split',
  },
  splitsView: {
    lead: 'A split decides which records train the model and which judge it. It is frozen once made.',
    leakage: {
      hint: 'Keep related records together: windows of one chromosome overlap and share context, so a random split lets the test part leak into training and flatters every metric.',
      more: 'Learn more',
      body1:
        'Leakage means the model has already seen something very close to the records it is tested on. Neighbouring genome windows, near-identical proteins or the same gene in two pairs are typical sources.',
      body2:
        'Holding out whole chromosomes (or clusters, or genes) keeps the test part honest: its numbers then say how the model does on data it has really never seen.',
    },
    noData: 'There is no data set to split yet.',
    goToData: 'Import a data set',
    dataset: 'Data set',
    records: '{n} records',
    newSplit: 'New split',
    result: 'The new split',
    existing: 'Splits of this data set',
    frozenNote:
      'Splits are frozen: they never change, so experiments always see the data they were trained on.',
    none: 'No other splits yet.',
    needsAttention: 'needs attention',
    frozen: 'frozen {time}',
    fold: 'Fold {n}',
    chartTitle: 'Records per part and class',
    methods: {
      stratified: {
        title: 'Stratified random',
        short: 'stratified',
        hint: 'Random parts with the same class balance. Fine for independent records; leaks with overlapping windows.',
      },
      chromosome: {
        title: 'Chromosome hold-out',
        short: 'chromosome hold-out',
        hint: 'Whole chromosomes go to validation or test: no window of a held-out chromosome is ever seen in training.',
        unavailable: 'Needs records with chromosomes (genome windows, or ids like chr22:100-201).',
      },
      kfold: {
        title: 'k-fold cross-validation',
        short: 'k-fold',
        hint: 'k parts, each one the test part once: mean ± sd over folds, for small data sets.',
      },
      homology: {
        title: 'By sequence similarity (homology)',
        short: 'homology',
        hint: 'Similar sequences stay in one part, so no test sequence has a close relative in training. For proteins and DNA.',
      },
    },
    describe: {
      stratified: 'validation {val}, test {test}, seed {seed}',
      chromosome: 'whole chromosomes held out',
      homology: 'identity below {threshold}, validation {val}, test {test}, seed {seed}, {tool}',
      kfold: '{k} folds, seed {seed}',
    },
    form: {
      val: 'Validation',
      test: 'Test',
      seed: 'Seed',
      trainShare: 'Training gets the remaining {percent}. The seed makes the split reproducible.',
      chromosome: 'Chromosome',
      holdOut: 'Hold out {chrom} for {part}',
      partTotal: '{part}: {records} records, {positives} positives ({percent})',
      partTotalPlain: '{part}: {records} records',
      k: 'Folds (k)',
      stratify: 'Keep the class balance in every fold (stratify)',
      groupBy: {
        label: 'Keep together',
        none: 'Nothing (records are independent)',
        chromosome: 'Chromosomes',
        group: 'Groups (the group column)',
      },
      homology: {
        threshold: 'Identity threshold',
        tool: 'Search',
        tools: {
          builtin: 'built-in alignment',
          cdhit: 'cd-hit (if installed)',
          mmseqs: 'MMseqs2 (if installed)',
        },
        explain:
          'No validation or test sequence will share {percent} identity or more with a training sequence. Sequences that cannot be placed that way are left out. Lower thresholds are stricter and may drop more.',
        cdhitFloor:
          'cd-hit cannot cluster below 40 % identity. Raise the threshold or use the built-in search.',
      },
      name: 'Name (optional)',
      namePlaceholder: 'Made from the settings, e.g. stratified 80/10/10 seed 42',
      create: 'Make split',
      tooMuch: 'Validation and test together must leave something to train on.',
      nothingLeft: 'Every chromosome is held out: nothing would be left for training.',
      noChromosomes: 'The records have no chromosomes to keep together.',
    },
    leakageReport: {
      title: 'Leakage check',
      none: 'No test sequence has a training relative above {percent} identity.',
      some: '{n} held-out sequences still have a training relative at {percent} identity or more.',
      above: 'Above the threshold: {n}',
      checkedAll:
        'Every held-out sequence ({n}, validation and test) was aligned with every training sequence.',
      checkedSample:
        'A seeded sample of {n} of the {of} held-out sequences was aligned with every training sequence.',
      closest: 'Closest training relative: at most {max}, median {median} identity.',
      dropped: 'Left out of every part: {n} sequences',
      clusters: '{groups} groups of similar sequences, the largest with {largest} ({tool}).',
      requested: 'Asked for',
      got: 'Got',
      chartTitle: 'Best identity of each held-out sequence to training',
      caption:
        'Each bar counts held-out sequences by their closest training sequence. Everything left of the dashed {percent} line is safe; bars right of it would be leaks.',
    },
    table: {
      part: 'Part',
      fold: 'Fold',
      records: 'Records',
      positives: '“{name}” records',
      rate: 'Share',
    },
    warnings: {
      splits: {
        nothing_held_out:
          'No chromosome is held out: every record is for training, so nothing can be evaluated. Tick chromosomes for validation and test.',
        class_missing:
          'The {part} part has no record of class “{label}”: its metrics cannot be computed. Use a larger fraction or hold out other chromosomes.',
        small_class:
          'The smallest class has only {members} records, fewer than the {k} folds: some folds will lack it.',
        empty_fold: 'Fold {fold} has no records. Choose fewer folds.',
      },
    },
  },
  train: {
    lead: 'Choose a data set, a split and a model, then train. You can watch each model learn, epoch by epoch.',
    setup: 'New experiment',
    learnMore: 'Learn more',
    form: {
      dataset: 'Data set',
      split: 'Split',
      records: '{n} records',
      allFolds: 'every fold, mean ± sd',
      model: 'Model',
      name: 'Name',
      engine: 'Engine: {backend} ({threads} thread(s))',
      train: 'Train',
      trainN: 'Train {n} models',
      ablation: 'Run ablation (3 models)',
      noData: 'Import a data set first.',
      notBinary: 'This data set does not have two classes; SeqLab trains yes/no classifiers.',
      noSplit: 'This data set has no split yet. Make one in the Splits step.',
    },
    engines: {
      tensorflow: 'native TensorFlow',
      wasm: 'WebAssembly',
      cpu: 'plain JavaScript (slow)',
    },
    presets: {
      logreg: {
        title: 'Logistic regression',
        hint: 'The baseline: counts of every 4-letter word (4-mer) in a sequence. Trains in seconds.',
      },
      cnn: {
        title: 'Convolutional network (seed CNN)',
        hint: 'The JunD recipe: 3 layers of 15 motif detectors, 10 bases wide, with dropout 0.5.',
      },
      mlp: {
        title: 'Multi-layer perceptron',
        hint: 'Three layers of 200 units with batch normalisation and dropout, on 4-mer counts.',
      },
      cnnc: { title: 'CNNC' },
      deepdrim: { title: 'DeepDRIM' },
      pairsLater: 'Comes with gene-pair data sets.',
    },
    imbalance: {
      label: 'Class imbalance',
      none: 'Do nothing',
      weights: 'Class weights',
      random_over: 'Random oversampling',
      random_under: 'Random undersampling',
      smote: 'SMOTE',
      borderline1: 'Borderline-SMOTE',
      adasyn: 'ADASYN',
    },
    weighting: {
      label: 'Class weights',
      none: 'None',
      balanced: 'Balanced (recommended)',
      custom: 'Per class',
      file: 'Weights from the file',
      noFileWeights: 'This data set has no weights of its own.',
      customClass: 'Weight of “{name}”',
      customHint:
        'A weight of 10 for “{name}” makes each of its records count as ten in training. Classes weigh 1 unless you change them.',
      hint: 'Class weights make each rare positive count as much as many negatives, so the model cannot ignore them.',
      more: 'With 1 positive in 200 windows, a model that always says “no” is 99.5% accurate and useless. Balanced weights give both classes the same total weight during training (on the training part only); validation and test are never weighted.',
    },
    resampling: {
      label: 'Resampling',
      amount: 'How many',
      level: '+{percent}% “{name}” records',
      balance: 'Until both classes are equal',
      ratio: 'A ratio of rare to common',
      ratioValue: 'Ratio after resampling (rare ÷ common)',
      neighbours: 'Neighbours (k)',
      seed: 'Resampling seed',
      trainingOnly:
        'Only the training part is resampled; validation and test keep the real balance, so their numbers stay honest.',
      smoteHint:
        'SMOTE makes new rare records between a rare record and one of its k nearest rare neighbours, instead of repeating the same ones.',
      smoteMore:
        'It blends the k-mer counts of two similar sequences, so it needs numbers as input. Borderline-SMOTE makes them only near the border with the other class; ADASYN makes more where the rare class is hardest to tell apart. +100% doubles the rare class.',
      randomHint:
        'Random oversampling repeats real rare records; random undersampling leaves out common ones. Both work on any input, sequences included.',
      randomMore:
        'Repeating records can make a model learn them by heart: watch the gap between training and validation loss. Leaving records out wastes data, but trains faster when the common class is huge.',
    },
    calibration: {
      label: 'Calibration',
      none: 'None',
      platt: 'Platt scaling (recommended)',
      isotonic: 'Isotonic regression',
      hint: 'Class weights and resampling make the scores overstate the rare class. Calibration, fitted on validation, turns them back into probabilities without changing their order.',
      more: 'Platt scaling fits two numbers and works with few positives. Isotonic regression follows any shape but needs many positives in validation (hundreds), or it learns their noise. Results show a reliability chart and the Brier score before and after.',
    },
    advanced: {
      title: 'Advanced',
      filters: 'Filters per layer',
      width: 'Filter width (bases)',
      depth: 'Layers',
      head: 'Where the motif may sit in the window',
      headFlatten: 'At fixed places (flatten, the seed recipe)',
      headGlobalMax: 'Anywhere (each filter’s best match)',
      headHint:
        'Flatten learns a weight for every position: good when the sites sit where the peaks centre the windows, as in ChIP-seq windows. Best match finds a motif at any position and strand and learns from far fewer positives (the demo’s sites are placed at random).',
      units: 'Units per layer',
      k: 'k-mer length',
      dropout: 'Dropout',
      dropoutHint:
        'Dropout switches off a random share of the units at each training step, so the model cannot memorise the training windows.',
      dropoutMore:
        'It is used only while training. 0 removes it; the seed recipe uses 0.5. Without it, the JunD CNN learned nothing useful (validation AUROC about 0.50).',
      epochs: 'Epochs',
      batchSize: 'Batch size',
      lr: 'Learning rate',
      earlyStopping: 'Early stopping',
      earlyOff: 'Off: train every epoch',
      loss: 'Validation loss',
      patience: 'Patience (epochs)',
      seed: 'Seed',
      repeats: 'Repeat with seeds',
      reverseComplement: 'Read each training window on a random strand (reverse-complement augmentation)',
      notes:
        'The weights of the best epoch on validation are kept, whatever happens later. Repeats use the seeds seed, seed + 1, …, and show mean ± sd in Results.',
    },
    status: {
      queued: 'Waiting',
      running: 'Training',
      done: 'Done',
      failed: 'Failed',
      cancelled: 'Cancelled',
      interrupted: 'Interrupted',
    },
    queue: {
      title: 'Training queue',
      empty: 'Nothing is training. Set up an experiment above and press Train.',
      waiting: 'Waiting for a free slot (two train at once)',
      starting: 'Preparing the data',
      epoch: 'epoch {epoch}/{epochs}',
      fold: 'fold {fold}/{folds}',
      progress: 'Training progress',
      result: 'Test AUPRC {auprc} · ROC-AUC {auroc}',
      toResults: 'See in Results',
      keptNothing: 'Stopped before the first epoch finished: nothing was kept.',
      keptOne: 'Stopped: epoch 1 was finished and kept. Resume continues with epoch 2.',
      kept: 'Stopped: epochs 1–{last} were finished and kept. Resume continues with epoch {next}.',
      resume: 'Resume',
    },
    curvesOf: 'Training curves: {name}',
    curvesWaiting: 'The first point appears when the first epoch has finished.',
    ablation: {
      needsDropout: 'The ablation compares with and without dropout: choose the CNN or the MLP.',
      needsDropoutValue: 'The ablation removes dropout: set a dropout above 0.',
      needsWeights:
        'The ablation removes the class weights: choose balanced weights or weights from the file.',
    },
    empty: {
      noData: 'No data set yet. Import one, make a split, then come back to train.',
      noBinary: 'None of the data sets has two classes. SeqLab trains yes/no classifiers.',
      noSplit: 'Make a split first: the model learns on the training part and is judged on the others.',
      toData: 'Go to Data',
      toSplits: 'Go to Splits',
    },
  },
  modelExport: {
    title: 'Export the model of “{name}”',
    filter: 'TensorFlow.js model',
    done: 'Saved {where}, with its weights beside it in {weights} ({size} KB).',
    howToLoad:
      'Keep the two files together: TensorFlow.js loads them with tf.loadLayersModel, and model.json says how to encode a window.',
  },
  reports: {
    lead: 'A one-page report of an experiment or of a comparison: the setup in words, the data, the curves and the metrics. It opens in any browser, offline, and prints well.',
    empty: 'No finished experiment yet. Train a model first; its report can then be made here.',
    what: 'What to report on',
    kind: {
      experiment: 'One experiment',
      comparison: 'A comparison',
    },
    experiment: 'Experiment',
    pickTwo: 'Tick two or more finished experiments.',
    part: 'Compare on',
    language: 'Language of the report',
    save: 'Save report…',
    saveTitle: 'Save the report',
    filter: 'HTML page',
    saved: 'Saved as {where} ({size} KB).',
    selfContained: 'The page holds everything, charts included, and loads nothing from the internet.',
    preview: 'Preview',
    previewOf: 'Preview of “{title}”',
    nothing: 'Choose an experiment, or two or more to compare, to see their report.',
  },
  learned: {
    back: 'Back to Results',
    title: 'What the model learned: {name}',
    lead: 'A convolutional network reads DNA through its first-layer filters, each a small motif detector. Each filter is drawn here as a sequence logo and compared with known binding motifs (JASPAR); below, one window shows which of its bases the score depends on.',
    filters: {
      title: 'First-layer filters as motifs',
      activations: 'From where they fire (recommended)',
      weights: 'From their weights',
      hint: {
        activations:
          'Each logo counts the test windows where the filter responds strongly (above half its maximum): the sequences it actually looks for.',
        weights:
          'Each logo reads the filter’s weights directly: quick, but the heights are only relative, so a flat logo can still be a useful filter.',
      },
      more: {
        similarity:
          'Similarity is the mean correlation of the aligned columns (as the Tomtom tool scores it), on both strands: 1 is the same motif, around 0.5 a loose likeness, near 0 none.',
        logo: 'A letter’s height is its share of the column’s information, in bits: 2 bits means always that base, 0 means no preference.',
      },
      database: 'Known motifs to compare with',
      builtIn: 'Without a file of your own: {name}, {n} matrices, shipped with SeqLab (GPL-3+, via Debian).',
      ownFile: 'Comparing with {name}: {n} matrices.',
      fromWindows: '{filters} filters, {width} bases wide, read from {n} test windows.',
      fromWeights: '{filters} filters, {width} bases wide, read from their weights.',
      filter: 'Filter {n}',
      bits: '{bits} bits',
      sites: '{n} sites',
      saveSvg: 'Save the logo of filter {n} as SVG',
      logoLabel: 'Sequence logo of filter {n}',
      match: 'Closest: {name} ({id}), similarity {score}, {strand} strand',
      noMatch: 'This filter never fired on the test windows: there is nothing to compare.',
      others: 'Next: {list}',
    },
    window: {
      title: 'One window, base by base',
      lead: 'Each base of the window is replaced by each other base and the window scored again (in-silico mutagenesis); saliency is how strongly the score reacts to each base present.',
      choose: 'A test window (highest scores first)',
      placeholder: 'Choose a window',
      option: '{id} · label {label} · score {score}',
      paste: 'Or paste a sequence of {length} bases',
      pastePlaceholder: 'ACGT… (letters only; spaces and line breaks are ignored)',
      explain: 'Explain this sequence',
      score: 'Score of {id}: {score}.',
      pasted: 'the pasted sequence',
    },
  },
  results: {
    lead: 'Compare experiments on the numbers that matter under imbalance, each with its uncertainty.',
    empty: 'No experiments yet. Train a model first; its results will appear here.',
    toTrain: 'Go to Train',
    actions: {
      report: 'Report',
      learned: 'What it learned',
      exportModel: 'Export model',
      reportComparison: 'Report on this comparison',
    },
    experiments: 'Experiments',
    select: 'Compare {name}',
    headline: 'AUPRC {auprc} (random {random}) · ROC-AUC {auroc}',
    stillTraining: 'see the Train step',
    group: '{name}, over {n} seeds: AUPRC {auprc} · ROC-AUC {auroc}',
    compareTitle: 'Comparison',
    parts: {
      val: 'Validation',
      test: 'Test (final report)',
    },
    partNote: {
      val: 'Validation chose the best epoch and the threshold; its numbers are a little optimistic.',
      test: 'Test was never used to choose anything: these are the numbers to report.',
    },
    pickSome: 'Tick one or more finished experiments above to compare them.',
    pickMore: 'Tick a second experiment to see whether the difference between them is real.',
    differentSplits:
      'These experiments used different splits: their numbers are not measured on the same records.',
    verdictTitle: 'Is the difference real?',
    compare: {
      real_difference: '“{name}” vs “{best}”: {metric} {diff}, a real difference ({p}, {test}).',
      no_real_difference:
        '“{name}” vs “{best}”: {metric} {diff}, not a real difference: it could be chance ({p}, {test}).',
    },
    notPaired: '“{name}” was scored on other records than the best: no paired test is possible.',
    verdictNote: 'From {n} bootstrap resamples of the records (95% intervals).',
    holm: 'p-values are corrected for the number of comparisons (Holm).',
    tests: {
      delong: 'DeLong test',
      paired_bootstrap: 'paired bootstrap',
    },
    calibration: {
      title: 'Can the scores be read as probabilities?',
      lead: 'On the diagonal, scores are honest: of the records given 0.3, 30% are positive. Below it, the scores overstate how often a record is positive; above it, they understate. Calibration changes what a score means, not the order: AUROC, AUPRC and the threshold are those of the model’s own scores.',
      lines: 'Dashed: the model’s own probabilities. Solid: after calibration.',
      brier: '“{name}”: Brier score {before} as trained, {after} after calibration ({method}).',
      brierRaw: '“{name}”: Brier score {before}, not calibrated.',
      brierCalibratedOnly:
        '“{name}”: Brier score {after} after calibration ({method}); its own scores are log-odds, not probabilities.',
      brierNote:
        'The Brier score is the mean squared gap between probability and outcome: lower is better, and always answering the positive rate ({rate}) scores {reference}.',
      valNote:
        'The calibrator was fitted on validation, so its numbers here flatter it; test shows how it holds up.',
      firstFold: 'k-fold experiments show their first fold.',
      methods: {
        platt: 'Platt scaling',
        isotonic: 'isotonic regression',
      },
      notes: {
        weights:
          '“{name}” was trained with class weights: its scores overstate how often a sequence is positive. Use them to rank, or turn on calibration when you train.',
        resampling:
          '“{name}” was trained on resampled data: its scores overstate how often a sequence is positive. Use them to rank, or turn on calibration when you train.',
        both: '“{name}” was trained with class weights and resampling: its scores overstate how often a sequence is positive. Use them to rank, or turn on calibration when you train.',
        logOdds:
          '“{name}” gives motif log-odds, not probabilities. Use them to rank, or turn on calibration to read them as probabilities.',
        skipped:
          '“{name}”: {method} was not applied. On validation, higher scores did not mean more positives, so calibrating would erase or reverse the ranking.',
      },
      notMeasured: '“{name}” was trained before SeqLab measured calibration. Train it again to see it.',
    },
    threshold: {
      title: 'Threshold',
      experiment: 'Experiment',
      note: 'Move the threshold on validation; test then shows what that threshold gives on new data.',
      chosen: 'Chosen on validation: {value}.',
      reset: 'Back to the chosen threshold',
    },
    balance: {
      title: 'Training set',
      note: 'What the model trained on: records per class before and after resampling, and their total weight.',
      foldLabel: 'Fold',
      fold: 'Fold {fold}',
      setup: 'Trained with {method} and {weighting}.',
      withRatio: '{method}, ratio {ratio}',
      fact: '“{name}”: {before} records before, {after} after; total weight in training {weight}',
      factGenerated:
        '“{name}”: {before} records before, {after} after ({n} of them generated); total weight in training {weight}',
      notStored:
        'This experiment was trained before SeqLab recorded its training set, so there is nothing to show.',
      methods: {
        none: 'no resampling',
        random_over: 'random oversampling',
        random_under: 'random undersampling',
        smote: 'SMOTE',
        borderline1: 'Borderline-SMOTE',
        borderline2: 'Borderline-SMOTE 2',
        adasyn: 'ADASYN',
        smote_tomek: 'SMOTE + Tomek links',
        tomek: 'Tomek links',
      },
      weighting: {
        none: 'no class weights',
        balanced: 'balanced class weights',
        file: 'the weights from the file',
        custom: 'class weights set per class',
      },
    },
  },
  predict: {
    lead: 'Score new sequences with a trained model, or scan a stretch of a genome window by window. Each score is called at the threshold the experiment chose on validation.',
    empty:
      'No experiment has finished training yet. Train a model first; then it can score new sequences here.',
    toTrain: 'Go to Train',
    cancel: 'Cancel',
    cancelled: 'Cancelled: nothing was scored. Start again when you are ready.',
    stride: 'Stride',
    bases: 'bases',
    alphabet: {
      dna: 'DNA',
      protein: 'protein',
    },
    tabs: {
      sequences: 'Sequences',
      scan: 'Scan a region',
    },
    phases: {
      starting: 'Starting…',
      queued: 'Waiting for a free processor core (trainings are running)…',
      reading: 'Reading…',
      readingRecords: 'Reading sequences: {n} so far',
      windows: 'Cutting the region into windows…',
      scoring: {
        sequences: 'Scoring: {done} of {total} sequences',
        windows: 'Scoring: {done} of {total} windows',
      },
    },
    model: {
      label: 'Experiment',
      option: '{name} · {kind} · validation AUROC {auroc}',
      kinds: {
        logreg: 'logistic regression',
        mlp: 'MLP',
        cnn: 'CNN',
        pwm: 'motif scan',
        other: 'model',
      },
      onehot: 'one-hot',
      kmer: '{k}-mer counts',
      reads: 'Reads',
      windowExact: '{alphabet} windows of exactly {length} letters ({input})',
      windowMax: '{alphabet} sequences of up to {length} letters ({input})',
      valAuroc: 'Validation AUROC',
      foldsMean: '{value} (mean of {folds} folds; their models’ scores are averaged)',
      threshold: 'Threshold',
      thresholdValue: '{value}, chosen on validation: a score at or above it is called “{positive}”',
      noThreshold: 'none (validation held one class)',
      dataset: 'Trained on',
    },
    sequences: {
      exactLength:
        'Each sequence must be {alphabet} of exactly {length} letters, as the model was trained on.',
      maxLength: 'Each sequence must be {alphabet} of at most {length} letters.',
      source: 'Where the sequences come from',
      paste: 'Paste',
      file: 'FASTA file',
      pasteLabel: 'Sequences',
      placeholder:
        'Paste FASTA (a line starting with > and a name before each sequence) or one sequence per line',
      count: 'Sequences: {n}',
      tooMuchText: 'This is too much text to paste: choose it as a FASTA file instead.',
      example: 'Fill in 3 example sequences',
      fileLabel: 'FASTA file',
      fileHint: 'Plain or gzip-compressed; read record by record.',
      windows: 'Score longer sequences window by window ({length} letters each)',
      score: 'Score',
      resultTitle: 'Scores from “{name}”',
    },
    summary: {
      noThreshold: 'The experiment has no threshold, so nothing is called.',
      called:
        '{called} of {total} ({percent}) called “{positive}”: score at or above {threshold}, the threshold chosen on validation.',
      windowed: 'Sequences scored window by window: {n}.',
      otherModel:
        'These scores are from an earlier choice of experiment. Score again to use the one selected above.',
    },
    export: {
      title: {
        csv: 'Save the scores as CSV',
        bedgraph: 'Save the scores as a bedGraph',
      },
      button: {
        csv: 'Export CSV',
        bedgraph: 'Export bedGraph',
      },
      done: 'Wrote {rows} rows to {file}.',
    },
    table: {
      id: 'ID',
      position: 'Position',
      score: 'Score',
      call: 'Call',
    },
    scan: {
      lead: 'Every window of {length} bases in the region is scored; windows holding N are skipped, as at import.',
      dnaOnly: 'This experiment reads protein, so it cannot scan a genome. Choose an experiment on DNA.',
      genome: 'Genome FASTA',
      genomeHint:
        'With its .fai index beside it, a region is read straight away; without one, SeqLab indexes the file once.',
      index: '.fai index',
      indexHint: 'Only needed when the index is not beside the genome file (for example, after an upload).',
      chromosome: 'Chromosome',
      chromosomeOption: '{name} ({range} bp)',
      start: 'Start',
      end: 'End',
      outside: 'The region must lie within {from}–{to} on this chromosome.',
      tooShort: 'The region is shorter than one window of {length} bases.',
      tooMany: 'That is more than {max} windows: choose a larger stride or a smaller region.',
      estimate:
        '{windows} windows of {length} bases, {stride} bases apart. Positions count from 1, as in genome browsers.',
      button: 'Scan',
      resultTitle: 'Scan with “{name}”',
      scored: '{total} windows of {region} scored ({length}-base windows, stride {stride}).',
      skipped: 'Windows with N skipped: {n}.',
      none: 'Every window of this region holds N, so none was scored.',
      binned:
        'There are more windows than points: each point is the highest score among its neighbouring windows, so no peak is lost. The exports hold every window.',
      topWindows: 'Windows, highest score first',
    },
  },
}

export default en
export type Messages = typeof en
