"""The demo app's only table is the synthetic generator's checkpoint (``ruta.demo.synthetic``)."""

from ruta.demo.synthetic.models import SyntheticCheckpoint

__all__ = ["SyntheticCheckpoint"]
