from .cam_net import CAMNet
from .clipseg import CLIPSeg
from .freeseg import FreeSeg
from .maskclip_segmentor import MaskCLIPSegmentor
from .prompt_learner import PromptLearner
from .text_encoder_decoder import HeadOutputs, TextEncoderDecoder
from .vocabulary import Vocabulary
from .zegclip import ZegCLIP

__all__ = [
    'CAMNet', 'CLIPSeg', 'FreeSeg', 'HeadOutputs', 'MaskCLIPSegmentor',
    'PromptLearner', 'TextEncoderDecoder', 'Vocabulary', 'ZegCLIP'
]
