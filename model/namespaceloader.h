// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entitytreemodel.h"
#include "whiskclient.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Feedscope {

// Fills an EntityTreeModel from an OpenWhisk API: each collection paged with limit/skip
// (PROTOCOL.md 1.4: at most 200 per call), so namespaces with thousands of entities load; then,
// in the background, the details lists do not carry — each trigger's rules with their status
// (GET trigger) and each feed trigger's health (its feed's READ, for the first
// feedReadLimit() of them) — and the members of packages when they are expanded.
//
// Each READ is an activation of the feed action, so they are not repeated for nothing: a full
// refresh reads every feed again (the user asked, or a feed lifecycle call changed something);
// a refresh of the trigger group after the app's own changes reads only the triggers whose feed
// annotation or version changed since their last READ.
//
// Requests use the loader as context: destroying it drops every late answer. A refresh that
// starts while another runs supersedes it.
class NamespaceLoader : public QObject
{
    Q_OBJECT

public:
    NamespaceLoader(WhiskClientPtr client, EntityTreeModel *model, QObject *parent = nullptr);

    void setPageSize(int size) { m_pageSize = qBound(1, size, 200); }
    // How many feed triggers get a READ per refresh (each READ is an activation).
    void setFeedReadLimit(int limit) { m_feedReadLimit = limit; }
    void setDetailsEnabled(bool enabled) { m_details = enabled; }

    // Everything: the namespace's name, the four collections, then the details.
    void refresh();
    // One collection (after a change the app made to it), then its details.
    void refreshGroup(EntityTreeModel::Group group);
    // Reads one feed trigger's health; `done` runs when the answer is in.
    void refreshFeed(const QString &trigger, std::function<void()> done = {});
    void loadPackage(const QString &package, bool isBinding);

    bool isLoading() const { return m_pendingGroups > 0; }

Q_SIGNALS:
    void loadingChanged(bool loading);
    // All collections of a refresh() arrived (details may still follow).
    void refreshed();
    // One collection was listed completely and set on the model.
    void groupListed(Feedscope::EntityTreeModel::Group group);
    // A listing failed: a sentence for the status bar.
    void failed(const QString &message);
    // Every queued detail request (rule status, feed READ) has been answered.
    void detailsLoaded();

private:
    void refreshAll();
    void listGroup(EntityTreeModel::Group group, int generation);
    void listPage(EntityTreeModel::Group group,
                  int generation,
                  int skip,
                  std::shared_ptr<QList<ExplorerEntry>> collected);
    void listPackagePage(const QString &package,
                         int skip,
                         std::shared_ptr<QList<ExplorerEntry>> collected);
    void groupDone(EntityTreeModel::Group group, int generation, bool ok);
    void loadDetails(EntityTreeModel::Group group);
    void runQueue();

    WhiskClientPtr m_client;
    QPointer<EntityTreeModel> m_model;
    int m_pageSize = 200;
    int m_feedReadLimit = 50;
    bool m_details = true;
    int m_generation[4] = {0, 0, 0, 0};
    int m_pendingGroups = 0;
    bool m_fullRefresh = false;
    bool m_namespaceKnown = false;
    // Detail requests, run a few at a time so a big namespace does not flood the API.
    QList<std::function<void(std::function<void()>)>> m_queue;
    int m_running = 0;
    // trigger → "feed@version" its health was last read for; cleared by a full refresh.
    QHash<QString, QString> m_feedReadFor;
};

} // namespace Feedscope
