"""What a batch's local worker loads when it starts (named in ``engine.cluster(preload=...)``):
importing this module imports the notebook runner, the exporters with their page templates
compiled, and the data loader, and has the kernels forked from a warm zygote
(:func:`preload`): one zygote, started here, that all the workers share. It is imported
once, by the server the workers are forked from, and never by tongket's own code. It never
fails: anything that does not load here is loaded, or reported, by the render itself."""

from __future__ import annotations


def preload() -> None:
    """Import what a render needs (the notebook runner, the exporters with their page
    templates compiled, the data loader) and have the kernels forked from a warm zygote
    (:func:`~tongket_lib.render.kernel.fork_kernels`): each worker renders report after
    report."""
    from tongket_lib.render import execute, kernel

    kernel.fork_kernels()
    if kernel.forking():  # first: it warms (a CPU-second and a half) while this imports
        from tongket_lib.render import zygote

        zygote.start(kernel.KERNEL_WARM_UP)
    execute.skip_iri_grammar()
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    from jupyter_client.blocking import BlockingKernelClient  # noqa: F401

    from tongket_lib.dataset import load  # noqa: F401
    from tongket_lib.document import docx  # noqa: F401
    from tongket_lib.render import batch, export, outputs  # noqa: F401
    from tongket_lib.views import record  # noqa: F401

    export.warm_up(pdf=False)  # the page templates compiled, inherited by every worker


try:
    preload()
except Exception:  # an optimisation only; a failure here would stop the server
    pass
