"""Prompt templates and class-name handling for the CLIP text bank."""
from typing import List, Optional, Sequence, Union

from open_clip import OPENAI_IMAGENET_TEMPLATES

from vlkd_seg.utils.errors import ConfigError
from vlkd_seg.utils.vocabulary import read_lines

# MaskCLIP adds five scene templates to CLIP's 80 ImageNet templates.
_SCENE_TEMPLATES = ('there is a {} in the scene.',
                    'there is the {} in the scene.',
                    'this is a {} in the scene.',
                    'this is the {} in the scene.',
                    'this is one {} in the scene.')
# ViLD (Gu et al., 2022), appendix.
_VILD_TEMPLATES = ('This is a {}', 'There is a {}',
                   'a photo of a {} in the scene',
                   'a photo of a small {} in the scene',
                   'a photo of a medium {} in the '
                   'scene', 'a photo of a large {} in the scene',
                   'a photo of a {}', 'a photo of a small {}',
                   'a photo of a medium {}', 'a photo of a large {}',
                   'This is a photo of a {}', 'This is a photo of a small {}',
                   'This is a photo of a medium {}',
                   'This is a photo of a large {}')

TEMPLATES = dict(
    maskclip=tuple(t('{}')
                   for t in OPENAI_IMAGENET_TEMPLATES) + _SCENE_TEMPLATES,
    vild=_VILD_TEMPLATES,
    single=('a photo of a {}.', ),
)


def resolve_templates(templates: Union[str, Sequence[str]]) -> List[str]:
    """Turn a template-set name or a list of templates into a list.

    Args:
        templates (str | Sequence[str]): ``'maskclip'`` (85), ``'vild'``
            (14), ``'single'`` or templates with one ``{}`` each.
    """
    if isinstance(templates, str):
        if templates not in TEMPLATES:
            raise ConfigError(f'unknown template set {templates!r}; use one '
                              f'of {sorted(TEMPLATES)} or a list of strings')
        return list(TEMPLATES[templates])
    templates = list(templates)
    bad = [t for t in templates if t.count('{}') != 1]
    if not templates or bad:
        raise ConfigError(f'templates need exactly one "{{}}" each: {bad}')
    return templates


def build_prompts(name: str,
                  templates: Sequence[str],
                  description: Optional[str] = None) -> List[str]:
    """All prompts of one class: each template filled with ``name``,
    followed by the class description if there is one ("a photo of a
    {name}. {description}", as in the OOD-distillation paper)."""
    prompts = [t.format(name) for t in templates]
    if description:
        prompts = [f'{p} {description}' for p in prompts]
    return prompts


def resolve_descriptions(descriptions: Optional[Union[str, Sequence[str]]],
                         num_classes: int) -> Optional[List[str]]:
    """One description per class from a list or a file (one per line)."""
    if isinstance(descriptions, str):
        return read_lines(descriptions, expected=num_classes)
    if descriptions is not None and len(descriptions) != num_classes:
        raise ConfigError(f'{len(descriptions)} descriptions for '
                          f'{num_classes} classes')
    return None if descriptions is None else list(descriptions)
