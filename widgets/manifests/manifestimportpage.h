// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "manifestimport.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

class MessageBar;
class OperationView;

// The preview of a manifest import, before anything is sent: each entity the manifest names
// with what will happen to it — created, changed (and what differs), left alone, or refused
// (and why) — then Import runs the change as one operation with progress, Cancel and a report
// of what was done or undone.
class ManifestImportPage : public QWidget
{
    Q_OBJECT

public:
    ManifestImportPage(Session *session, const QString &manifestPath, QWidget *parent = nullptr);

    // Reads the manifest and compares it with the namespace; the preview fills in when done.
    void load();
    bool isLoaded() const { return m_loaded; }
    const QList<ImportItem> &items() const { return m_items; }
    QTreeWidget *itemList() const { return m_list; }
    QPushButton *importButton() const { return m_import; }
    QLabel *summaryLabel() const { return m_summary; }
    MessageBar *messageBar() const { return m_message; }
    OperationView *operationView() const { return m_operation; }

    void startImport();

Q_SIGNALS:
    void loaded();
    void imported(bool ok);

private:
    void showItems(const QList<ImportItem> &items);

    QPointer<Session> m_session;
    QString m_path;
    QList<ImportItem> m_items;
    bool m_loaded = false;
    QLabel *m_title;
    QLabel *m_summary;
    QTreeWidget *m_list;
    MessageBar *m_message;
    QPushButton *m_import;
    OperationView *m_operation;
};

} // namespace Feedscope::Ui
