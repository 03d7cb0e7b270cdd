"""FreeSeg's stage 1: learned prompts run CLIP's own text tower (parity
with encode_text), change the text features and nothing else of CLIP, and
are loaded frozen by FreeSeg from the stage-1 checkpoint."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from vlkd_seg.models.teachers import LearnedPrompts
from vlkd_seg.models.teachers.text_tower import text_width
from vlkd_seg.utils import ConfigError, load_config
from ...conftest import REPO, tiny_recipe_model
from .test_freeseg import _samples

DEMO = osp.join(REPO, 'configs', 'demo')
STAGE1 = osp.join(DEMO, 'freeseg-prompts_vit-world_synthetic-world.py')
STAGE2 = osp.join(DEMO,
                  'freeseg-learned_r18-tiny_vit-world_synthetic-world.py')
NAMES = ['disc', 'square', 'triangle']


@pytest.fixture()
def learner(clip_configs):
    init_default_scope('mmseg')
    torch.manual_seed(0)
    return MODELS.build(
        tiny_recipe_model(load_config(STAGE1).model, clip_configs))


def _as_context(teacher, words: str, n: int) -> torch.Tensor:
    """The token embeddings of ``words`` (n tokens) as context vectors."""
    tokens = teacher.tokenizer([words])[0, 1:1 + n]
    return teacher.clip.token_embedding(tokens).detach()


def test_prompts_equal_encode_text_of_the_words_they_hold(learner):
    teacher = learner.teacher
    prompts = LearnedPrompts(width=text_width(teacher.clip), n_ctx=4)
    prompts.ctx.data = _as_context(teacher, 'a photo of a', 4)
    expected = teacher.clip.encode_text(
        teacher.tokenizer([f'a photo of a {n}.' for n in NAMES]))
    torch.testing.assert_close(
        prompts(teacher, NAMES), F.normalize(expected, dim=-1))


def test_the_task_prompt_comes_before_the_start_token(learner):
    teacher = learner.teacher
    prompts = LearnedPrompts(
        width=text_width(teacher.clip),
        n_ctx=2,
        task='semantic segmentation.',
        n_task_ctx=0)
    prompts.ctx.data = _as_context(teacher, 'a photo', 2)
    task = teacher.tokenizer(['semantic segmentation.'])[0]
    words = task[1:int(task.argmax())]
    tokens = teacher.tokenizer([f'a photo {n}.' for n in NAMES])
    shifted = torch.cat([words.expand(len(NAMES), -1), tokens],
                        1)[:, :tokens.shape[1]]
    expected = F.normalize(teacher.clip.encode_text(shifted), dim=-1)
    torch.testing.assert_close(prompts(teacher, NAMES), expected)


def test_a_step_changes_the_prompts_and_texts_and_nothing_of_clip(learner):
    clip_before = {
        k: v.clone()
        for k, v in learner.teacher.state_dict().items()
    }
    ctx_before = learner.prompts.ctx.clone()
    text_before = learner.text
    trainable = [p for p in learner.parameters() if p.requires_grad]
    assert {id(p)
            for p in trainable
            } == {id(p)
                  for p in learner.prompts.parameters()}
    optimizer = torch.optim.SGD(trainable, lr=10.)
    losses = learner.loss(torch.randn(2, 3, 32, 32), _samples())
    losses['loss_prompt'].backward()
    optimizer.step()
    assert all(
        torch.equal(v, clip_before[k])
        for k, v in learner.teacher.state_dict().items())
    assert not torch.equal(learner.prompts.ctx, ctx_before)
    assert not torch.allclose(learner.text, text_before)
    assert sorted(learner.state_dict()) == ['prompts.ctx', 'prompts.task_ctx']


def test_the_loss_is_the_cross_entropy_of_the_seen_regions(learner):
    samples, inputs = _samples(), torch.randn(2, 3, 32, 32)
    seen = [0, 2, 4, 5, 7]
    labels = torch.stack([s.gt_sem_seg.data[0] for s in samples])
    positions = torch.full_like(labels, 255)
    for i, c in enumerate(seen):
        positions[labels == c] = i
    embeds, targets = learner.region_embeddings(inputs, positions)
    # image 0: disc (seen) and the unseen square, not a region; image 1:
    # disc and triangle (seen position 1)
    assert targets.tolist() == [0, 0, 1]
    text = learner.prompts(learner.teacher,
                           [learner.class_names[i] for i in seen])
    expected = F.cross_entropy(100 * embeds @ text.t(), targets)
    losses = learner.loss(inputs, samples)
    torch.testing.assert_close(losses['loss_prompt'], expected)
    assert 0 <= float(losses['acc_prompt']) <= 100


def _stage1_checkpoint(learner, tmp_path) -> str:
    path = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict=learner.state_dict(), meta={}), path)
    return path


def test_freeseg_loads_the_prompts_frozen_and_out_of_its_checkpoints(
        learner, clip_configs, tmp_path):
    with torch.no_grad():
        for p in learner.prompts.parameters():
            p.add_(torch.randn_like(p))
    cfg = tiny_recipe_model(load_config(STAGE2).model, clip_configs)
    cfg.prompts.checkpoint = _stage1_checkpoint(learner, tmp_path)
    torch.manual_seed(1)  # the teacher's random weights as the learner's
    model = MODELS.build(cfg)
    model.text_encoder.load_state_dict(learner.teacher.state_dict())
    model.set_vocabulary(model.class_names)
    torch.testing.assert_close(model.vocabulary.text, learner.text)
    assert not any(p.requires_grad for p in model.prompts.parameters())
    assert not any(k.startswith('prompts.') for k in model.state_dict())
    with pytest.raises(ConfigError, match='descriptions go into template'):
        model.set_vocabulary(['disc', 'star'], descriptions=['a', 'b'])
    cfg.prompts.checkpoint = None
    with pytest.raises(ConfigError, match='need checkpoint='):
        MODELS.build(cfg)


def test_a_checkpoint_of_other_prompts_is_refused(learner, tmp_path):
    path = _stage1_checkpoint(learner, tmp_path)
    width = text_width(learner.teacher.clip)
    with pytest.raises(ConfigError, match='set n_ctx, n_task_ctx and task'):
        LearnedPrompts(width=width, n_ctx=4, checkpoint=path)
    torch.save(dict(state_dict={'decode_head.x': torch.zeros(1)}), path)
    with pytest.raises(ConfigError, match='holds no learned prompts'):
        LearnedPrompts(width=width, checkpoint=path)
    with pytest.raises(ConfigError, match='n_ctx must be an int >= 1'):
        LearnedPrompts(width=width, n_ctx=0)
