// Re-attribution after an erasure (docs/unlearning.md, "Attribution edges"): the predictions an
// erasure request stripped of their attribution are found by the request id it marks them with.
// Parameters: none.
CREATE INDEX prediction_scrubbed_by IF NOT EXISTS FOR (p:Prediction) ON (p.attributionScrubbedBy);
