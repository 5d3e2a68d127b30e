from __future__ import annotations

from typing import Any

import pytest

from ruta.training import demo, selectors
from ruta.training.models import Certificate, Course, SurveyResponse

pytestmark = pytest.mark.django_db


def test_demo_has_a_past_session_with_results(personas: dict[str, Any]) -> None:
    summary = demo.seed(personas)
    course = Course.objects.get(title=demo.COURSE_TITLE)
    assert course.modules.count() == 6 and course.framework is not None
    session = course.sessions.get()
    results = selectors.session_results(session)
    assert len(results.participants) == 5
    assert results.mean_gain is not None and results.mean_gain > 0
    # Everyone passed the post-test; the one who missed a day has no certificate.
    assert summary["certificates"] == 4 == Certificate.objects.filter(enrolment__session=session).count()
    missing = [row for row in results.participants if row.certificate is None]
    assert len(missing) == 1 and missing[0].attended_days == 1
    assert SurveyResponse.objects.filter(enrolment__session=session).count() == 4
    assert all(row.stats.takers == 5 for row in selectors.item_statistics(session.tests.get(kind="post")))
    demo.seed(personas)
    assert Course.objects.filter(title=demo.COURSE_TITLE).count() == 1
    assert Certificate.objects.count() == 4
