# SUN397 with the image lists and sentences of Li et al. (2023): the
# folder of the authors' split_dataset.py output plus their data/SUN397/
# files (README, "Splits of Li et al.").
_base_ = './cls_li2023.py'
class_split = data_root = 'data/li2023/SUN397'
