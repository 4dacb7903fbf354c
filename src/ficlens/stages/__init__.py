"""Analysis stages, one per file; see ``ficlens.pipeline.STAGES`` for the order."""
