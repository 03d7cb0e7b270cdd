from .text_classifier import TextClassifier, TextClassifierHead

__all__ = ['TextClassifier', 'TextClassifierHead']
