// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

class ManifestImportPage;

// File → Export / Import manifest: asks for the place (a file dialog opened asynchronously, no
// nested event loop) and does the work, reporting through `status` ("Exported 12 entities to
// /tmp/x", or why not).
using StatusSink = std::function<void(const QString &message)>;

// Writes manifest.yaml and the action code of the whole namespace into a chosen directory.
void exportNamespaceManifest(Session *session, QWidget *parent, StatusSink status);

// Asks for a manifest file, then `show` gets the preview page (not yet shown anywhere).
void chooseManifestToImport(Session *session,
                            QWidget *parent,
                            std::function<void(ManifestImportPage *page)> show);

} // namespace Feedscope::Ui
