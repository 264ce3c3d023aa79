from django.urls import path

from . import exports, views

app_name = "network_evaluation"

urlpatterns = [
    path("", views.EvaluationIndexView.as_view(), name="index"),
    path("systems/<int:pk>/compute/", views.ComputeView.as_view(), name="compute"),
    path("<int:pk>/", views.EvaluationView.as_view(), name="evaluation"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<int:pk>/diff/", views.DiffView.as_view(), name="diff"),
    path("<int:pk>/report.xlsx", exports.XlsxReportView.as_view(), name="xlsx"),
    path("<int:pk>/report.pdf", exports.PdfReportView.as_view(), name="pdf"),
    path("results/<int:pk>/", views.ResultView.as_view(), name="result"),
    path("results/<int:pk>/delist/", views.DelistView.as_view(), name="delist"),
]
