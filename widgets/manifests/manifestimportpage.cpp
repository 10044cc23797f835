// SPDX-License-Identifier: GPL-3.0-or-later
#include "manifestimportpage.h"

#include "common/accessible.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/theme.h"
#include "manifest.h"
#include "session.h"

#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

Theme::Role roleOf(ImportItem::Change change)
{
    switch (change) {
    case ImportItem::Change::Create: return Theme::Role::Success;
    case ImportItem::Change::Update: return Theme::Role::Warning;
    case ImportItem::Change::Unchanged: return Theme::Role::Muted;
    case ImportItem::Change::Refused: return Theme::Role::Error;
    }
    return Theme::Role::Muted;
}

QString verb(ImportItem::Change change)
{
    switch (change) {
    case ImportItem::Change::Create: return QObject::tr("create");
    case ImportItem::Change::Update: return QObject::tr("change");
    case ImportItem::Change::Unchanged: return QObject::tr("leave alone");
    case ImportItem::Change::Refused: return QObject::tr("refused");
    }
    return {};
}

} // namespace

ManifestImportPage::ManifestImportPage(Session *session,
                                       const QString &manifestPath,
                                       QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_path(manifestPath)
    , m_title(new QLabel(this))
    , m_summary(new QLabel(tr("Reading the manifest and comparing it with the namespace…"), this))
    , m_list(new QTreeWidget(this))
    , m_message(new MessageBar(this))
    , m_import(new QPushButton(tr("&Import"), this))
    , m_operation(new OperationView(this))
{
    setObjectName(QStringLiteral("manifestImportPage"));
    m_title->setText(tr("<b>Import %1</b> into namespace %2")
                         .arg(m_path.toHtmlEscaped(),
                              session ? session->tree()->ns().toHtmlEscaped() : QString()));
    m_title->setWordWrap(true);
    nameControl(m_summary, QStringLiteral("importSummary"), tr("What the import will do"));
    m_summary->setWordWrap(true);
    nameControl(m_list, QStringLiteral("importItems"), tr("Entities of the manifest"));
    m_list->setHeaderLabels({tr("Will"), tr("Kind"), tr("Name"), tr("Details")});
    m_list->setRootIsDecorated(false);
    for (int c = 0; c < 3; ++c)
        m_list->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    nameControl(m_message, QStringLiteral("importMessage"), tr("Import problem"));
    nameControl(m_import, QStringLiteral("importButton"), tr("Import the manifest"));
    m_import->setEnabled(false);
    m_import->setToolTip(tr("Creates and changes what the list says, in one step that is undone "
                            "if any part fails"));
    m_operation->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_import);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_operation);

    connect(m_import, &QPushButton::clicked, this, &ManifestImportPage::startImport);
    connect(m_operation, &OperationView::finished, this, [this](const OperationReport &report) {
        Q_EMIT imported(report.ok);
        // What the namespace now holds, compared again: a finished import shows "leave alone".
        load();
    });
}

void ManifestImportPage::load()
{
    m_loaded = false;
    m_import->setEnabled(false);
    if (!m_session) {
        m_message->showError(tr("Not connected."));
        return;
    }
    const QFileInfo info(m_path);
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_message->showError(tr("Cannot read %1: %2").arg(m_path, file.errorString()));
        return;
    }
    const auto entities
        = Manifest::importYaml(QString::fromUtf8(file.readAll()), info.absolutePath());
    if (!entities) {
        m_message->showError(entities.error().message);
        m_summary->setText(tr("Nothing was sent."));
        return;
    }
    ManifestImport::compare(m_session, *entities, this, [this](Result<QList<ImportItem>> r) {
        if (!r) {
            m_message->showError(
                tr("Could not compare with the namespace: %1").arg(r.error().message));
            return;
        }
        showItems(*r);
    });
}

void ManifestImportPage::showItems(const QList<ImportItem> &items)
{
    m_items = items;
    m_loaded = true;
    m_list->clear();
    int counts[4] = {0, 0, 0, 0};
    for (const ImportItem &item : items) {
        ++counts[int(item.change)];
        const QString details
            = item.change == ImportItem::Change::Update
                  ? tr("differs in: %1").arg(item.differences.join(QStringLiteral(", ")))
              : item.change == ImportItem::Change::Refused ? item.reason
                                                           : QString();
        auto *row = new QTreeWidgetItem(
            m_list,
            {verb(item.change), entityKindName(item.entity.kind), item.entity.name, details});
        row->setForeground(0, Theme::color(roleOf(item.change), this));
        row->setToolTip(3, details);
    }
    const int creates = counts[int(ImportItem::Change::Create)];
    const int updates = counts[int(ImportItem::Change::Update)];
    const int same = counts[int(ImportItem::Change::Unchanged)];
    const int refused = counts[int(ImportItem::Change::Refused)];
    m_summary->setText(tr("%1 to create, %2 to change, %3 left alone%4. Nothing has been sent yet.")
                           .arg(creates)
                           .arg(updates)
                           .arg(same)
                           .arg(refused ? tr(", %1 refused").arg(refused) : QString()));
    if (refused)
        m_message->showError(tr("The import cannot run while entities are refused (see Details)."));
    else if (creates + updates == 0)
        m_message->showInfo(tr("The namespace already holds everything the manifest describes."));
    else
        m_message->clearMessage();
    m_import->setEnabled(refused == 0 && creates + updates > 0);
    Q_EMIT loaded();
}

void ManifestImportPage::startImport()
{
    if (!m_session || !m_loaded)
        return;
    Operation *op = ManifestImport::apply(m_session, m_items);
    if (!op)
        return;
    m_import->setEnabled(false);
    m_operation->show();
    m_operation->track(tr("Importing %1").arg(QFileInfo(m_path).fileName()), op);
}

} // namespace Feedscope::Ui
