import pytest

from tests import factories


@pytest.fixture
def indicators(ward):
    """Three indicators the ward answers for."""
    return [
        factories.make_indicator(responsible_unit=ward, code=f"ct-{n}", name=f"Chỉ tiêu {n}", sort_order=n) for n in range(1, 4)
    ]
