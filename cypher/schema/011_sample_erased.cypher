// Erased samples of a run are found from the few erased ones, not by scanning every sample of
// the run (workbench run summary at a million samples): a range index on Sample.erased.
// Parameters: none.
CREATE INDEX sample_erased IF NOT EXISTS FOR (s:Sample) ON (s.erased);
