// SPDX-License-Identifier: GPL-3.0-or-later
#include "manifestfiles.h"

#include "manifest.h"
#include "manifestimportpage.h"
#include "namespacereader.h"
#include "session.h"

#include <QFileDialog>
#include <QPointer>

namespace Feedscope::Ui {

void exportNamespaceManifest(Session *session, QWidget *parent, StatusSink status)
{
    if (!session) {
        status(QObject::tr("Connect to an OpenWhisk API first."));
        return;
    }
    auto *dialog = new QFileDialog(parent, QObject::tr("Export the namespace as a manifest into"));
    dialog->setObjectName(QStringLiteral("exportManifestDialog"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        dialog,
        &QFileDialog::fileSelected,
        parent,
        [session = QPointer<Session>(session), parent, status](const QString &dir) {
            if (!session)
                return;
            const QString ns = session->tree()->ns();
            status(QObject::tr("Reading namespace %1 for the export…").arg(ns));
            NamespaceReader::readAll(
                session,
                parent,
                [status, dir, ns](Result<QList<PlannedEntity>> r) {
                    if (!r) {
                        status(QObject::tr("Export failed: %1").arg(r.error().message));
                        return;
                    }
                    const auto written = Manifest::exportToDirectory(*r, ns, dir);
                    status(written ? QObject::tr("Exported %1 entities to %2 "
                                                 "(manifest.yaml and %3 code files)")
                                         .arg(r->size())
                                         .arg(dir)
                                         .arg(written->size() - 1)
                                   : QObject::tr("Export failed: %1").arg(written.error().message));
                },
                [status](int done, int total) {
                    status(QObject::tr("Reading the namespace: %1 of %2…").arg(done).arg(total));
                });
        });
    dialog->open();
}

void chooseManifestToImport(Session *session,
                            QWidget *parent,
                            std::function<void(ManifestImportPage *)> show)
{
    auto *dialog = new QFileDialog(parent, QObject::tr("Import a manifest"));
    dialog->setObjectName(QStringLiteral("importManifestDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setNameFilters(
        {QObject::tr("wskdeploy manifests (manifest.yaml manifest.yml *.yaml *.yml)"),
         QObject::tr("All files (*)")});
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog,
                     &QFileDialog::fileSelected,
                     parent,
                     [session = QPointer<Session>(session), show](const QString &path) {
                         if (!session)
                             return;
                         auto *page = new ManifestImportPage(session, path);
                         show(page);
                         page->load();
                     });
    dialog->open();
}

} // namespace Feedscope::Ui
