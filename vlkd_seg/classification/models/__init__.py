from .vl_distill_classifier import VLDistillClassifier

__all__ = ['VLDistillClassifier']
