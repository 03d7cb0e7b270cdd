# StanfordCars with the image lists and sentences of Li et al. (2023): the
# folder of the authors' split_dataset.py output plus their data/StanfordCars/
# files (README, "Splits of Li et al.").
_base_ = './cls_li2023.py'
class_split = data_root = 'data/li2023/StanfordCars'
_split = dict(class_split=class_split, data_root=data_root)
train_dataloader = dict(dataset=_split)
val_dataloader = dict(dataset=_split)
test_dataloader = val_dataloader
val_evaluator = dict(class_split=class_split)
test_evaluator = val_evaluator
