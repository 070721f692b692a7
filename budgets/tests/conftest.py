"""Fixtures of the budget tests: the imported classification, and the project-wide tree with it."""

from dataclasses import dataclass

import pytest

from budgets.tests.factories import Classification, imported_classification
from units.tests.factories import Tree


@dataclass
class BudgetWorld(Tree, Classification):
    """The project-wide tree (the `tree` fixture) with the classification."""


@pytest.fixture
def classification(db) -> Classification:
    return imported_classification()


@pytest.fixture
def world(tree, classification) -> BudgetWorld:
    return BudgetWorld(**vars(tree), **vars(classification))
