from .rank_consistency_hook import RankConsistencyHook

__all__ = ['RankConsistencyHook']
