// SPDX-License-Identifier: GPL-3.0-or-later
#include "httplogpanel.h"

#include "common/theme.h"
#include "httpjournalmodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>

namespace Feedscope::Ui {

namespace {

// Status colours by outcome (the model's role is semantic; colour is decided here).
class OutcomeDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != HttpJournalModel::Status)
            return;
        using O = HttpJournalModel::Outcome;
        const auto outcome = index.data(HttpJournalModel::OutcomeRole).value<O>();
        const Theme::Role role = outcome == O::Success       ? Theme::Role::Success
                                 : outcome == O::ClientError ? Theme::Role::Warning
                                                             : Theme::Role::Error;
        option->palette.setColor(QPalette::Text, Theme::color(role, option->palette));
        option->font.setBold(outcome != O::Success);
    }
};

// Text filter over every column, and background traffic (activity polls, pings) only when
// the user asks for it: otherwise it buries what they did.
class HttpLogFilter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setShowBackground(bool show)
    {
        m_showBackground = show;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override
    {
        if (!m_showBackground
            && sourceModel()
                   ->index(sourceRow, 0, sourceParent)
                   .data(HttpJournalModel::BackgroundTrafficRole)
                   .toBool())
            return false;
        return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    }

private:
    bool m_showBackground = false;
};

QString pretty(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError)
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(body);
}

} // namespace

HttpLogPanel::HttpLogPanel(HttpJournal *journal, QWidget *parent)
    : QWidget(parent)
    , m_journal(journal)
    , m_model(new HttpJournalModel(journal, this))
    , m_proxy(new HttpLogFilter(this))
    , m_filter(new QLineEdit(this))
    , m_background(new QCheckBox(tr("&Background requests"), this))
    , m_follow(new QCheckBox(tr("&Follow"), this))
    , m_capacity(new QSpinBox(this))
    , m_view(new QTableView(this))
    , m_request(new QPlainTextEdit(this))
    , m_response(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("httpLogPanel"));
    setAccessibleName(tr("HTTP log"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(QStringLiteral("httpLogFilter"));
    m_filter->setAccessibleName(tr("Filter the HTTP log"));
    m_filter->setPlaceholderText(tr("Filter: method, path or status"));
    m_filter->setClearButtonEnabled(true);
    connect(
        m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_background->setObjectName(QStringLiteral("httpLogBackground"));
    m_background->setAccessibleName(tr("Show background requests"));
    m_background->setToolTip(
        tr("Also show what Feedscope sends on its own: activity polls and pings"));
    connect(m_background, &QCheckBox::toggled, this, [this](bool show) {
        static_cast<HttpLogFilter *>(m_proxy)->setShowBackground(show);
    });
    m_follow->setObjectName(QStringLiteral("httpLogFollow"));
    m_follow->setAccessibleName(tr("Follow new requests"));
    m_follow->setChecked(true);

    m_copyCurl = new QAction(tr("Copy as &curl"), this);
    m_copyCurl->setObjectName(QStringLiteral("copyCurlAction"));
    m_copyCurl->setStatusTip(
        tr("Copy the selected request as a curl command (the key comes from $OW_AUTH)"));
    m_copyCurl->setToolTip(m_copyCurl->statusTip());
    m_copyCurl->setEnabled(false);
    connect(m_copyCurl, &QAction::triggered, this, [this] {
        const QString curl = selectedCurl();
        if (curl.isEmpty())
            return;
        QApplication::clipboard()->setText(curl);
        Q_EMIT statusMessage(tr("Copied the curl command (export OW_AUTH=uuid:key to run it)."));
    });
    m_clear = new QAction(tr("C&lear"), this);
    m_clear->setObjectName(QStringLiteral("clearHttpLogAction"));
    m_clear->setStatusTip(tr("Forget every request in the log"));
    m_clear->setToolTip(m_clear->statusTip());
    connect(m_clear, &QAction::triggered, this, [this] {
        if (m_journal)
            m_journal->clear();
    });
    m_view->addAction(m_copyCurl);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_view->setObjectName(QStringLiteral("httpLogTable"));
    m_view->setAccessibleName(tr("Requests"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new OutcomeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    // Fixed row height and column widths: no ResizeToContents on a live table (STYLE.md 9).
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setWordWrap(false);
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(HttpJournalModel::Path, QHeaderView::Stretch);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(HttpJournalModel::Time, digit * 14);
    header->resizeSection(HttpJournalModel::Method, digit * 8);
    header->resizeSection(HttpJournalModel::Status, digit * 8);
    header->resizeSection(HttpJournalModel::Duration, digit * 9);
    header->resizeSection(HttpJournalModel::Size, digit * 9);
    connect(m_view->selectionModel(),
            &QItemSelectionModel::currentRowChanged,
            this,
            &HttpLogPanel::showSelected);
    // Trims and clears may take the shown exchange away; otherwise the details stay as they
    // are (and keep their scroll position).
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &HttpLogPanel::showSelected);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &HttpLogPanel::showSelected);
    m_capacity->setObjectName(QStringLiteral("httpLogCapacity"));
    m_capacity->setAccessibleName(tr("Requests kept in the log"));
    m_capacity->setToolTip(tr("How many requests the log keeps; the oldest go first"));
    m_capacity->setRange(100, 100000);
    m_capacity->setSingleStep(500);
    m_capacity->setPrefix(tr("keep "));
    m_capacity->setValue(journal ? journal->capacity() : 1000);
    connect(m_capacity, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_journal)
            m_journal->setCapacity(value);
    });
    // Follow the end while the user is there; scrolling up pauses following.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_view->scrollToBottom();
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        QScrollBar *bar = m_view->verticalScrollBar();
        if (value < bar->maximum() - 2 && bar->isSliderDown())
            m_follow->setChecked(false);
    });

    for (QPlainTextEdit *view : {m_request, m_response}) {
        view->setReadOnly(true);
        view->setFont(Theme::monospace());
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_request->setObjectName(QStringLiteral("httpRequestView"));
    m_request->setAccessibleName(tr("Request detail"));
    m_response->setObjectName(QStringLiteral("httpResponseView"));
    m_response->setAccessibleName(tr("Response detail"));
    m_request->setPlaceholderText(tr("Select a request to see it here."));
    auto *detail = new QTabWidget(this);
    detail->setObjectName(QStringLiteral("httpDetailTabs"));
    detail->addTab(m_request, tr("Request"));
    detail->addTab(m_response, tr("Response"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_background);
    bar->addWidget(m_follow);
    bar->addWidget(m_capacity);
    for (QAction *a : {m_copyCurl, m_clear}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(a);
        button->setObjectName(a->objectName() + QStringLiteral("Button"));
        button->setAccessibleName(a->text().remove(u'&'));
        bar->addWidget(button);
    }
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("httpLogSplitter"));
    split->addWidget(m_view);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
}

QString HttpLogPanel::selectedCurl() const
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    const HttpJournal::Entry *entry = current.isValid() ? m_model->entry(current.row()) : nullptr;
    return entry ? HttpJournal::toCurl(*entry) : QString();
}

void HttpLogPanel::showSelected()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    const HttpJournal::Entry *e = current.isValid() ? m_model->entry(current.row()) : nullptr;
    m_copyCurl->setEnabled(e != nullptr);
    const qint64 id = e ? e->id : 0;
    if (id == m_shownId)
        return;
    m_shownId = id;
    if (!e) {
        m_request->clear();
        m_response->clear();
        return;
    }
    QString request
        = QStringLiteral("%1 %2\n").arg(QString::fromLatin1(e->method), e->url.toString());
    for (const auto &header : e->requestHeaders)
        request += QString::fromLatin1(header.first) + QStringLiteral(": ")
                   + QString::fromUtf8(header.second) + u'\n';
    request
        += QStringLiteral("Sent: %1\n").arg(e->started.toLocalTime().toString(Qt::ISODateWithMs));
    const QString body = pretty(e->requestBody);
    if (!body.isEmpty())
        request += u'\n' + body;
    m_request->setPlainText(request);

    QString response
        = e->status ? QStringLiteral("HTTP %1 after %2 ms\n").arg(e->status).arg(e->elapsedMs)
                    : QStringLiteral("No reply after %1 ms: %2\n").arg(e->elapsedMs).arg(e->error);
    if (!e->requestId.isEmpty())
        response += QStringLiteral("X-Request-ID: %1\n").arg(e->requestId);
    const QString answer = pretty(e->responseBody);
    if (!answer.isEmpty())
        response += u'\n' + answer;
    m_response->setPlainText(response);
}

} // namespace Feedscope::Ui
