# tiered-ImageNet with the image lists and sentences of Li et al. (2023):
# the folder of the authors' split_dataset.py output plus their
# data/tiered-ImageNet/ files (README, "Splits of Li et al."). Its 1,000
# label2text.txt / chatgpt.txt lines cover ImageNet; the 448 classes of the
# image lists are kept.
_base_ = './cls_li2023.py'
class_split = data_root = 'data/li2023/tiered-ImageNet'
