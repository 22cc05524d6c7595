"""Scale-out through batch engines (the OpenAI Batch API, vLLM's ``run_batch``): see :mod:`.jobs`."""
