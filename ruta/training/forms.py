from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.competencies.models import Competency, Framework
from ruta.geo.models import Department
from ruta.training.models import Course, QuestionKind
from ruta.training.survey import ITEMS, SCALE


class CompetencyChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.domain.label} — {obj.label}"


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    competencies = CompetencyChoice(
        label=_("Competencies (one module each)"),
        queryset=Competency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    hours_per_module = forms.DecimalField(
        label=_("Hours per module"), min_value=Decimal("0.5"), max_value=Decimal("40"), initial=Decimal("2")
    )
    min_attendance = forms.IntegerField(
        label=_("Minimum attendance for the certificate (% of days)"), min_value=0, max_value=100, initial=80
    )
    min_post_score = forms.IntegerField(
        label=_("Minimum post-test score for the certificate (%)"), min_value=0, max_value=100, initial=70
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        competencies = self.fields["competencies"]
        assert isinstance(competencies, forms.ModelMultipleChoiceField)
        competencies.queryset = framework.competencies.select_related("domain").order_by("order", "code")


class TrainerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.all())
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, initial=25)
    trainers = TrainerChoice(label=_("Trainers"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, trainers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = trainers


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class EnrolForm(forms.Form):
    participant = PersonChoice(label=_("Person"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class QuestionForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.select_related("framework"))
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    choices = forms.CharField(
        label=_("Choices, one per line (single and multiple choice)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    correct = forms.CharField(
        label=_("Right answers: the numbers of the right choices (1, 2…), or true / false"),
        max_length=50,
        required=False,
    )

    def parsed(self) -> tuple[list[dict[str, str]], list[str]]:
        """The choices as ``[{"key", "text"}]`` (keys ``c1``, ``c2``…) and the right keys."""
        data = self.cleaned_data
        if data["kind"] == QuestionKind.TRUE_FALSE:
            value = data["correct"].strip().lower()
            return [], ["true" if value in ("true", "t", "1", "yes") else "false"]
        lines = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        choices = [{"key": f"c{number}", "text": text} for number, text in enumerate(lines, start=1)]
        right = [f"c{part.strip()}" for part in data["correct"].replace(";", ",").split(",") if part.strip()]
        return choices, right


class SurveyForm(forms.Form):
    comment = forms.CharField(label=_("Comment (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in ITEMS.items():
            self.fields[f"item_{code}"] = forms.TypedChoiceField(
                label=label,
                choices=list(SCALE.items()),
                coerce=int,
                widget=forms.RadioSelect,
            )

    def ratings(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"item_{code}"] for code in ITEMS}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, image, text; up to 10 MB)"))
