// Creates a batch of Samples of a run, each linked to its Run by OUTPUT_OF. Sample ids are
// `<runId>:s:<position>`, positions $start .. $start + $count - 1. Returns positions in the batch
// and internal node ids (for the DERIVED_FROM batches of the same ingest).
// Parameters: $runId, $start (int), $count (int), and parallel lists of length $count:
// $index (numbers: row of the split's model matrix), $split ('train'/'test'), $keys, $labels
// (numbers or null). Number lists travel as floats (the driver packs them fastest) and are
// turned into integers here.
MATCH (run:Run {id: $runId})
UNWIND range(0, $count - 1) AS i
CREATE (s:Sample {id: $runId + ':s:' + toString($start + i), index: toInteger($index[i]), split: $split[i],
  key: $keys[i], label: $labels[i]})-[:OUTPUT_OF]->(run)
RETURN collect(i) AS positions, collect(id(s)) AS nodeIds
