"""Wagtail's 用户 admin for staff accounts only. A resident's Django user is named by their phone
number, so listing residents there would show every number in full; residents are managed in
居民 (admin_residents), with the numbers masked. Installed by training.users_app, which takes
the place of "wagtail.users" in INSTALLED_APPS (Wagtail's documented way to swap the user
viewset)."""

from django.http import Http404
from wagtail.users.views import users


def staff_only(queryset):
    return queryset.filter(resident__isnull=True)


class IndexView(users.IndexView):
    def get_base_queryset(self):
        return staff_only(super().get_base_queryset())


class NotAResident:
    """A resident's user by its URL is a 404 here too."""

    def get_object(self, *args, **kwargs):
        user = super().get_object(*args, **kwargs)
        if not staff_only(type(user)._default_manager.filter(pk=user.pk)).exists():
            raise Http404
        return user


class EditView(NotAResident, users.EditView):
    pass


class DeleteView(NotAResident, users.DeleteView):
    pass


class HistoryView(NotAResident, users.HistoryView):
    pass


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
