// SPDX-License-Identifier: GPL-3.0-or-later
#include "explorerpanel.h"

#include "common/confirm.h"
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "common/theme.h"
#include "entitydelegate.h"
#include "entityfiltermodel.h"
#include "namespacereader.h"
#include "session.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace Feedscope::Ui {

ExplorerPanel::ExplorerPanel(QWidget *parent)
    : QWidget(parent)
    , m_filterModel(new EntityFilterModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_placeholder(new MessageBar(this))
    , m_reportBox(new OperationView(this))
    , m_report(m_reportBox->report())
{
    setObjectName(QStringLiteral("explorerPanel"));
    setAccessibleName(tr("Explorer"));

    m_filter->setObjectName(QStringLiteral("explorerFilter"));
    m_filter->setAccessibleName(tr("Filter entities by name"));
    m_filter->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    // Typing coalesces: one refilter per pause, not per key when the namespace is large.
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(60);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    connect(&m_filterDelay, &QTimer::timeout, this, [this] {
        m_filterModel->setText(m_filter->text());
        if (!m_filter->text().isEmpty())
            m_view->expandAll();
        else
            expandTop();
    });

    m_view->setObjectName(QStringLiteral("explorerTree"));
    m_view->setAccessibleName(tr("Entities of the namespace"));
    m_view->setModel(m_filterModel);
    m_view->setItemDelegate(new EntityDelegate(m_view));
    m_view->setUniformRowHeights(true);
    m_view->setHeaderHidden(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->header()->setStretchLastSection(false);
    connect(m_view, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (isDeletedTrigger(index))
            Q_EMIT tombstonesRequested(); // nothing to open: its owed work is what is left
        else if (const auto entity = EntityRef::fromIndex(index))
            Q_EMIT openRequested(*entity);
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &ExplorerPanel::showContextMenu);

    m_placeholder->setObjectName(QStringLiteral("explorerPlaceholder"));
    m_placeholder->setAccessibleName(tr("Explorer status"));

    m_reportBox->setMaximumHeight(200);
    m_reportBox->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_reportBox);

    // The activity column says "3 s ago": repaint it, nothing else, once a second.
    m_activityTick.setInterval(1000);
    connect(&m_activityTick, &QTimer::timeout, this, [this] { m_view->viewport()->update(); });
    m_activityTick.start();

    createActions();
    setSession(nullptr);
}

ExplorerPanel::~ExplorerPanel() = default;

void ExplorerPanel::createActions()
{
    const auto make = [this](const QString &name, const QString &text, const QString &tip) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setStatusTip(tip);
        action->setToolTip(tip);
        return action;
    };
    m_open = make(QStringLiteral("openEntityAction"),
                  tr("&Open"),
                  tr("Open the selected entity in an editor"));
    m_open->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_open->setShortcutContext(Qt::WidgetShortcut);
    connect(m_open, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity())
            Q_EMIT openRequested(*e);
    });

    m_fire = make(QStringLiteral("fireTriggerAction"),
                  tr("&Fire…"),
                  tr("Fire the selected trigger with a payload"));
    m_fire->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    connect(m_fire, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity(); e && e->kind == ExplorerEntry::Kind::Trigger)
            Q_EMIT fireRequested(e->name);
    });

    m_webhookConsole = make(QStringLiteral("webhookConsoleAction"),
                            tr("&Webhook console…"),
                            tr("Send test events to the selected trigger, see what reached it "
                               "through the webhook relay, replay it"));
    connect(m_webhookConsole, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity(); e && e->kind == ExplorerEntry::Kind::Trigger)
            Q_EMIT webhookConsoleRequested(e->name);
    });

    m_enableRule = make(QStringLiteral("enableRuleAction"),
                        tr("&Enable rule"),
                        tr("Make the selected rule active"));
    connect(m_enableRule, &QAction::triggered, this, [this] { setRuleActive(true); });
    m_disableRule = make(QStringLiteral("disableRuleAction"),
                         tr("&Disable rule"),
                         tr("Make the selected rule inactive"));
    connect(m_disableRule, &QAction::triggered, this, [this] { setRuleActive(false); });

    m_delete = make(QStringLiteral("deleteEntityAction"),
                    tr("&Delete…"),
                    tr("Delete the selected entity (a feed trigger's feed is told first)"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_delete, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity())
            deleteEntity(*e);
    });

    m_copyWsk = make(QStringLiteral("copyWskAction"),
                     tr("Copy as &wsk command"),
                     tr("Copy the wsk command that creates the selected entity"));
    m_copyWsk->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyWsk->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyWsk, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity())
            copyWskCommand(*e);
    });

    m_refresh = make(
        QStringLiteral("refreshAction"), tr("&Refresh"), tr("Reload the namespace from the API"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    connect(m_refresh, &QAction::triggered, this, [this] {
        if (m_session) {
            m_session->refresh();
            Q_EMIT statusMessage(tr("Reloading %1…").arg(m_session->tree()->ns()));
        }
    });

    m_scanOrphans = make(QStringLiteral("scanOrphansAction"),
                         tr("Scan for &orphans"),
                         tr("Look for feeds whose provider lost them, triggers with no active rule "
                            "and rules whose action is gone"));
    connect(m_scanOrphans, &QAction::triggered, this, &ExplorerPanel::orphanScanRequested);

    m_lifecycleConsole = make(QStringLiteral("lifecycleConsoleAction"),
                              tr("&Lifecycle console…"),
                              tr("Send lifecycle events to the selected feed trigger's feed"));
    connect(m_lifecycleConsole, &QAction::triggered, this, [this] {
        if (const auto e = selectedEntity(); e && e->kind == ExplorerEntry::Kind::Trigger)
            Q_EMIT lifecycleConsoleRequested(e->name);
    });
    m_checkFeed = make(QStringLiteral("checkFeedAction"),
                       tr("C&heck feed action…"),
                       tr("Grade the selected feed action (or trigger's feed) on a scratch "
                          "trigger"));
    connect(m_checkFeed, &QAction::triggered, this, [this] {
        const QString feed = selectedFeed();
        if (!feed.isEmpty())
            Q_EMIT checkFeedRequested(feed);
    });
    m_showTombstones = make(QStringLiteral("showOwedWorkAction"),
                            tr("Show &owed feed work"),
                            tr("The feed DELETE still owed for this deleted trigger"));
    connect(m_showTombstones, &QAction::triggered, this, &ExplorerPanel::tombstonesRequested);

    m_focusFilter = make(QStringLiteral("focusFilterAction"),
                         tr("&Filter entities"),
                         tr("Type to filter the explorer"));
    m_focusFilter->setShortcut(QKeySequence::Find);
    connect(m_focusFilter, &QAction::triggered, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });

    for (const auto kind : {ExplorerEntry::Kind::Action,
                            ExplorerEntry::Kind::Trigger,
                            ExplorerEntry::Kind::Rule,
                            ExplorerEntry::Kind::Package,
                            ExplorerEntry::Kind::Binding}) {
        auto *action = make(QStringLiteral("new%1Action").arg(EntityRef::kindTitle(kind)),
                            tr("New %1…").arg(EntityRef::kindName(kind)),
                            tr("Create a new %1").arg(EntityRef::kindName(kind)));
        if (kind == ExplorerEntry::Kind::Action)
            action->setShortcut(QKeySequence::New);
        connect(action, &QAction::triggered, this, [this, kind] { Q_EMIT newRequested(kind); });
        m_newActions.append(action);
    }
    for (QAction *a : {m_open, m_delete, m_copyWsk})
        m_view->addAction(a);
    addAction(m_focusFilter);
    addAction(m_refresh);
    updateActions();
}

void ExplorerPanel::setSession(Session *session)
{
    if (m_session)
        m_session->tree()->disconnect(this);
    m_session = session;
    m_filterModel->setSourceModel(session ? session->tree() : nullptr);
    m_view->setEnabled(session != nullptr);
    if (m_filterModel->columnCount() == 2) {
        // Name takes the room; the activity column keeps a fixed width (STYLE.md 9).
        m_view->header()->setSectionResizeMode(0, QHeaderView::Stretch);
        m_view->header()->setSectionResizeMode(1, QHeaderView::Fixed);
        m_view->header()->resizeSection(
            1,
            m_view->fontMetrics().horizontalAdvance(QStringLiteral("88 fired · 59 min ago")) + 12);
    }
    if (!session) {
        m_placeholder->showWarning(tr("Not connected. Choose a profile in the toolbar."));
    } else {
        m_placeholder->clearMessage();
        EntityTreeModel *tree = session->tree();
        connect(tree, &QAbstractItemModel::modelReset, this, &ExplorerPanel::expandTop);
        connect(tree, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent) {
            // The groups open as soon as they have something to show.
            if (!parent.isValid() || !parent.parent().isValid())
                expandTop();
        });
        connect(tree, &QAbstractItemModel::dataChanged, this, [this] { updateActions(); });
        connect(session->loader(), &NamespaceLoader::failed, this, [this](const QString &message) {
            m_placeholder->showError(message);
        });
        connect(session->loader(), &NamespaceLoader::refreshed, this, [this] {
            if (m_placeholder->role() == Theme::Role::Error)
                m_placeholder->clearMessage();
        });
        expandTop();
    }
    connect(m_view->selectionModel(),
            &QItemSelectionModel::currentChanged,
            this,
            &ExplorerPanel::updateActions,
            Qt::UniqueConnection);
    updateActions();
}

void ExplorerPanel::expandTop()
{
    const QModelIndex ns = m_filterModel->index(0, 0);
    if (!ns.isValid())
        return;
    m_view->expand(ns);
    for (int row = 0; row < m_filterModel->rowCount(ns); ++row)
        m_view->expand(m_filterModel->index(row, 0, ns));
}

std::optional<EntityRef> ExplorerPanel::selectedEntity() const
{
    return EntityRef::fromIndex(m_view->currentIndex());
}

bool ExplorerPanel::selectEntity(const EntityRef &entity)
{
    if (!m_session)
        return false;
    EntityTreeModel *tree = m_session->tree();
    QModelIndex index;
    switch (entity.kind) {
    case ExplorerEntry::Kind::Package:
    case ExplorerEntry::Kind::Binding:
        index = tree->indexOf(EntityTreeModel::Group::Packages, entity.name);
        break;
    case ExplorerEntry::Kind::Action:
        index
            = entity.name.contains(u'/')
                  ? tree->memberIndex(entity.name.section(u'/', 0, 0), entity.name.section(u'/', 1))
                  : tree->indexOf(EntityTreeModel::Group::Actions, entity.name);
        break;
    case ExplorerEntry::Kind::Trigger:
        index = tree->indexOf(EntityTreeModel::Group::Triggers, entity.name);
        break;
    case ExplorerEntry::Kind::Rule:
        index = tree->indexOf(EntityTreeModel::Group::Rules, entity.name);
        break;
    }
    const QModelIndex proxy = m_filterModel->mapFromSource(index);
    if (!proxy.isValid())
        return false;
    m_view->setCurrentIndex(proxy);
    m_view->scrollTo(proxy);
    return true;
}

bool ExplorerPanel::isDeletedTrigger(const QModelIndex &index) const
{
    return index.siblingAtColumn(0).data(EntityTreeModel::DeletedRole).toBool();
}

QString ExplorerPanel::selectedFeed() const
{
    // A feed action names itself; a feed trigger names its feed.
    const auto e = selectedEntity();
    if (!e || isDeletedTrigger(m_view->currentIndex()))
        return {};
    const QVariant feed = m_view->currentIndex().siblingAtColumn(0).data(EntityTreeModel::FeedRole);
    if (e->kind == ExplorerEntry::Kind::Trigger)
        return feed.toString();
    if (e->kind == ExplorerEntry::Kind::Action && feed.toBool())
        return e->name;
    return {};
}

void ExplorerPanel::updateActions()
{
    // A deleted trigger kept for its owed feed work has nothing to open, fire or delete.
    const bool deleted = isDeletedTrigger(m_view->currentIndex());
    const auto e = deleted ? std::nullopt : selectedEntity();
    const bool connected = m_session != nullptr;
    m_open->setEnabled(e.has_value());
    m_delete->setEnabled(e.has_value());
    m_copyWsk->setEnabled(e.has_value());
    m_fire->setEnabled(e && e->kind == ExplorerEntry::Kind::Trigger);
    m_lifecycleConsole->setEnabled(e && e->kind == ExplorerEntry::Kind::Trigger
                                   && !selectedFeed().isEmpty());
    m_checkFeed->setEnabled(!selectedFeed().isEmpty());
    m_showTombstones->setEnabled(deleted);
    m_webhookConsole->setEnabled(e && e->kind == ExplorerEntry::Kind::Trigger);
    bool ruleActive = true;
    bool ruleKnown = false;
    if (e && e->kind == ExplorerEntry::Kind::Rule) {
        const QVariant active
            = m_view->currentIndex().siblingAtColumn(0).data(EntityTreeModel::RuleActiveRole);
        ruleKnown = active.isValid();
        ruleActive = active.toBool();
    }
    const bool isRule = e && e->kind == ExplorerEntry::Kind::Rule;
    m_enableRule->setEnabled(isRule && (!ruleKnown || !ruleActive));
    m_disableRule->setEnabled(isRule && (!ruleKnown || ruleActive));
    m_refresh->setEnabled(connected);
    m_scanOrphans->setEnabled(connected);
    for (QAction *a : std::as_const(m_newActions))
        a->setEnabled(connected);
}

void ExplorerPanel::showContextMenu(const QPoint &position)
{
    // popup(), not exec(): no nested event loop (STYLE.md 28).
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const QModelIndex at = m_view->indexAt(position);
    const auto e = EntityRef::fromIndex(at);
    if (isDeletedTrigger(at)) {
        menu->addAction(m_showTombstones);
        menu->addSeparator();
    } else if (e) {
        menu->addAction(m_open);
        if (e->kind == ExplorerEntry::Kind::Trigger) {
            menu->addAction(m_fire);
            menu->addAction(m_lifecycleConsole);
            menu->addAction(m_webhookConsole);
        }
        if (m_checkFeed->isEnabled())
            menu->addAction(m_checkFeed);
        if (e->kind == ExplorerEntry::Kind::Rule) {
            menu->addAction(m_enableRule);
            menu->addAction(m_disableRule);
        }
        menu->addAction(m_copyWsk);
        menu->addSeparator();
        menu->addAction(m_delete);
        menu->addSeparator();
    }
    QMenu *create = menu->addMenu(tr("&New"));
    create->addActions(m_newActions);
    menu->addAction(m_refresh);
    menu->addAction(m_scanOrphans);
    menu->popup(m_view->viewport()->mapToGlobal(position));
}

void ExplorerPanel::setRuleActive(bool active)
{
    const auto e = selectedEntity();
    if (!m_session || !e || e->kind != ExplorerEntry::Kind::Rule)
        return;
    const auto name = m_session->client()->qualify(e->name);
    const QString rule = e->name;
    m_session->client()->setRuleActive(*name, active, this, [this, rule, active](Result<Done> r) {
        if (!r) {
            Q_EMIT statusMessage(r.error().message);
            return;
        }
        if (m_session)
            m_session->tree()->setRuleActive(rule, active);
        updateActions();
        Q_EMIT statusMessage(active ? tr("Rule %1 enabled.").arg(rule)
                                    : tr("Rule %1 disabled.").arg(rule));
    });
}

void ExplorerPanel::showOperation(const QString &title, Operation *operation)
{
    m_reportBox->track(title, operation);
    connect(operation, &Operation::finished, this, [this](const OperationReport &report) {
        Q_EMIT statusMessage(report.summary());
    });
}

void ExplorerPanel::deleteEntity(const EntityRef &entity)
{
    if (!m_session)
        return;
    const QModelIndex index = [&] {
        EntityTreeModel *tree = m_session->tree();
        if (entity.kind == ExplorerEntry::Kind::Trigger)
            return tree->indexOf(EntityTreeModel::Group::Triggers, entity.name);
        return QModelIndex();
    }();
    const QString feed = index.data(EntityTreeModel::FeedRole).toString();
    QString question = tr("Delete %1 '%2'?").arg(EntityRef::kindName(entity.kind), entity.name);
    if (!feed.isEmpty())
        question += u'\n'
                    + tr("Its feed %1 is told to delete its entry first (DELETE); if that fails, a "
                         "tombstone keeps the DELETE for a retry.")
                          .arg(feed);
    confirm(this,
            tr("Delete %1").arg(EntityRef::kindName(entity.kind)),
            question,
            QMessageBox::Yes,
            [this, entity] { deleteConfirmed(entity); });
}

void ExplorerPanel::deleteConfirmed(const EntityRef &entity)
{
    if (!m_session)
        return;
    const WhiskClientPtr client = m_session->client();
    const auto name = client->qualify(entity.name);
    if (!name)
        return;
    if (entity.kind == ExplorerEntry::Kind::Trigger) {
        // Always through the lifecycle: it reads the trigger itself and, when it has a feed,
        // tells the feed first — the tree may not know the trigger's feed yet.
        Operation *op = m_session->lifecycle()->remove(*name);
        showOperation(tr("Deleting trigger %1").arg(entity.name), op);
        connect(op, &Operation::finished, this, [this, entity](const OperationReport &report) {
            if (report.ok)
                Q_EMIT entityDeleted(entity);
        });
        return;
    }
    auto done = [this, entity](const std::optional<WhiskError> &error) {
        if (error) {
            m_reportBox->show();
            m_report->setPlainText(error->message);
            Q_EMIT statusMessage(error->message);
            return;
        }
        Q_EMIT statusMessage(
            tr("Deleted %1 %2.").arg(EntityRef::kindName(entity.kind), entity.name));
        Q_EMIT entityDeleted(entity);
    };
    const auto report = [done](auto r) {
        done(r ? std::nullopt : std::optional<WhiskError>(r.error()));
    };
    switch (entity.kind) {
    case ExplorerEntry::Kind::Action: client->deleteAction(*name, this, report); break;
    case ExplorerEntry::Kind::Package:
    case ExplorerEntry::Kind::Binding: client->deletePackage(*name, false, this, report); break;
    case ExplorerEntry::Kind::Rule: client->deleteRule(*name, this, report); break;
    case ExplorerEntry::Kind::Trigger: break; // through the lifecycle, above
    }
}

void ExplorerPanel::copyWskCommand(const EntityRef &entity)
{
    if (!m_session)
        return;
    const QString ns = m_session->tree()->ns();
    // The entity as exports see it: an action with its code, a feed trigger with its feed's
    // parameters (a READ).
    NamespaceReader::read(m_session,
                          PlannedEntity::Kind(int(entity.kind)),
                          entity.name,
                          this,
                          [this, ns](Result<PlannedEntity> r) {
                              if (!r) {
                                  Q_EMIT statusMessage(r.error().message);
                                  return;
                              }
                              const QString command = wskCreateCommand(r->relativeTo(ns));
                              QApplication::clipboard()->setText(command);
                              Q_EMIT statusMessage(tr("Copied: %1").arg(command.left(160)));
                          });
}

} // namespace Feedscope::Ui
