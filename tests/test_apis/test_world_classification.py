import torch

from vlkd_seg.apis.world_classification import (StudentClassifier,
                                                clip_preprocess,
                                                single_object_scenes,
                                                train_student)
from vlkd_seg.classification import (clip_classification_loss,
                                     image_contrastive_loss)
from vlkd_seg.models import CLIPTeacher


def test_single_object_scenes_hold_one_object_of_the_split():
    data = single_object_scenes(12, classes=(1, 3), seed=0)
    assert data['images'].shape == (12, 3, 64, 64)
    assert data['images'].dtype == torch.uint8
    assert set(data['labels'].tolist()) <= {1, 3}
    again = single_object_scenes(12, classes=(1, 3), seed=0)
    assert torch.equal(again['images'], data['images'])


def test_student_is_an_mmpretrain_backbone_with_a_clip_projection():
    student = StudentClassifier(
        dict(type='ResNet', depth=18, base_channels=8, stem_channels=8), 64,
        32)
    feats = student(torch.randint(0, 255, (2, 3, 64, 64), dtype=torch.uint8))
    assert feats.shape == (2, 32)
    assert type(student.backbone).__module__.startswith('mmpretrain')


def test_students_learn_from_labels_and_from_the_teacher(
        clip_configs, monkeypatch):
    torch.manual_seed(0)
    teacher = CLIPTeacher(
        clip_configs['rn'], templates='single', text_cache_dir='')
    # a random tiny CLIP embeds all scenes alike; give the teacher image
    # features that tell scenes apart (a fixed projection of pixel stats)
    proj = torch.randn(12, 32)
    monkeypatch.setattr(
        teacher, 'encode_image', lambda x: torch.nn.functional.normalize(
            torch.cat([
                x.mean((2, 3)),
                x.std((2, 3)),
                x.amax((2, 3)),
                x.amin((2, 3))
            ], 1) @ proj,
            dim=1))
    data = single_object_scenes(32, classes=(1, 3, 5), seed=0)
    data['labels'] = torch.tensor([(1, 3, 5).index(int(y))
                                   for y in data['labels']])
    text = teacher.encode_text(['disc', 'triangle', 'cross'])
    size = teacher.clip.visual.image_size
    target = teacher.encode_image(clip_preprocess(data['images'], size))

    def losses(student):
        with torch.no_grad():
            feats = student(data['images'])
        return (clip_classification_loss(feats, text, data['labels']),
                image_contrastive_loss(feats, target))

    for kind, index in (('cls', 0), ('im-cst', 1)):
        before = losses(
            train_student(teacher, data, text, (kind, ), steps=0,
                          log=None))[index]
        after = losses(
            train_student(
                teacher,
                data,
                text, (kind, ),
                steps=40,
                batch_size=16,
                log=None))[index]
        assert after < 0.8 * before, kind
