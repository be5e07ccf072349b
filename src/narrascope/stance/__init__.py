"""Stance: does an article report a narrative, amplify it in its own voice, or dispute it?"""

from narrascope.stance.decide import article_stance, narrative_stances
from narrascope.stance.records import STANCES, ArticleStance, StanceEvidence, StanceLabel

__all__ = ["STANCES", "ArticleStance", "StanceEvidence", "StanceLabel", "article_stance", "narrative_stances"]
