import pytest as pt, unittest
from pytest import mark as m, param

CASES = [(1, 2), param(3, 4, marks=m.skip), (5, 6)]

@pt.fixture(params=[1, 2])
def x(request):
    return request.param

@m.parametrize("a,b", CASES)
@m.parametrize("c", range(3))
def test_pairs(a, b, c, x):
    assert a < b

class TestThing:
    __test__ = True
    @m.skipif(True, reason="no")
    def test_skipped(self): ...
    class TestInner:
        def test_nested(self): pass

class Case(unittest.TestCase):
    def test_it(self):
        self.assertTrue(f"{1!r:>{2}}")
    async def test_async(self): await x
