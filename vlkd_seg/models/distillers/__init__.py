from .pseudo_label_distiller import PseudoLabelDistiller

__all__ = ['PseudoLabelDistiller']
