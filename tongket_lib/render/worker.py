"""What a batch's local worker loads when it starts (named in ``engine.cluster(preload=...)``):
importing this module imports the notebook runner, the exporters with their page templates
compiled, and the data loader (:func:`tongket_lib.render.job.preload`). It is imported
once, by the server the workers are forked from, and never by tongket's own code. It never
fails: anything that does not load here is loaded, or reported, by the render itself."""

from tongket_lib.render.job import preload

try:
    preload()
except Exception:  # an optimisation only; a failure here would stop the server
    pass
