"""What a batch's local worker loads when it starts (named in ``engine.cluster(preload=...)``):
importing this module imports the notebook runner, the exporters with their page templates
compiled, and the data loader (:func:`tongket_lib.report.render.preload`). It is imported
once, by the server the workers are forked from, and never by tongket's own code."""

from tongket_lib.report.render import preload

preload()
