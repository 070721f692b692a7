"""Fixtures of the project tests."""

import pytest

from projects.tests.workflow import ProjectWorld, build_world


@pytest.fixture
def world(tree) -> ProjectWorld:
    """The project-wide tree with a development plan and a project (projects.tests.workflow)."""
    return build_world(tree)
