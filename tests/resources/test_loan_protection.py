"""An item with loans cannot be deleted: the admin says so instead of failing."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from resources import loan_services
from resources.models import Teacher

from ..factories import editor_of


def test_teacher_with_a_loan_is_protected_in_the_admin(client, network):
    teacher = Teacher.objects.create(owner=network["liling"], name="李老师")
    start = timezone.localdate() + timedelta(days=5)
    loan_services.request_loan(
        editor_of(network["pukou"]), teacher, network["pukou"], start, start, "周末培训"
    )
    client.force_login(editor_of(network["liling"], "liling-owner"))
    url = reverse("wagtailsnippets_resources_teacher:delete", args=[teacher.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code < 500
    assert Teacher.objects.filter(pk=teacher.pk).exists()
