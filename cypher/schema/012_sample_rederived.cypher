// Re-derived samples of a run (recompute-mode erasures) are found from the few re-derived ones,
// not by scanning every sample of the run (the scrub plan after each erasure request at a million
// samples): a range index on Sample.rederivedBy, beside the one on Sample.erased.
// Parameters: none.
CREATE INDEX sample_rederived_by IF NOT EXISTS FOR (s:Sample) ON (s.rederivedBy);
