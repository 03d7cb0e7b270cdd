"""``conftest.fresh_message_hub``: the two tests run in this order (pytest
keeps the order of definition), the second sees nothing of the first."""
from mmengine.logging import MessageHub


def test_a_test_may_set_the_iteration():
    MessageHub.get_current_instance().update_info('iter', 500)
    assert MessageHub.get_current_instance().get_info('iter') == 500


def test_the_next_test_starts_from_a_fresh_message_hub():
    assert MessageHub.get_current_instance().get_info('iter') is None
