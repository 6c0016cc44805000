from django.urls import path

from . import views

urlpatterns = [
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/export.json", views.export_json, name="export-json"),
    path("my-data/export.zip", views.export_zip, name="export-zip"),
    path("my-data/exercises.pdf", views.handout_pdf, name="handout-pdf"),
    path("my-data/progress.pdf", views.summary_pdf, name="summary-pdf"),
    path("files/<uuid:file_id>/", views.prepared_file, name="prepared-file"),
    path("files/<uuid:file_id>/download", views.prepared_download, name="prepared-download"),
    path("my-data/stop-sharing/", views.stop_sharing, name="stop-sharing"),
    path("my-data/delete/", views.delete_account, name="delete-account"),
    path("my-data/deleted/", views.account_deleted, name="account-deleted"),
]
