"""The steps of the pipeline, as verbs. Entry points (API, CLI, workers) call these and nothing else."""
