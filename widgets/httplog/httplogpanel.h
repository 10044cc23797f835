// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QAction;
class QCheckBox;
class QSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace Feedscope {
class HttpJournal;
class HttpJournalModel;
} // namespace Feedscope

namespace Feedscope::Ui {

// The HTTP log (DESIGN.md): every request the app sent, with method, path, status, duration
// and size; the request and response of the selected one in detail (JSON pretty-printed, keys
// redacted by the journal); copy as curl. It follows new requests while the user looks at the
// end of the list, and stops following when they scroll up.
class HttpLogPanel : public QWidget
{
    Q_OBJECT

public:
    explicit HttpLogPanel(HttpJournal *journal, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    HttpJournalModel *model() const { return m_model; }
    QPlainTextEdit *requestView() const { return m_request; }
    QPlainTextEdit *responseView() const { return m_response; }
    QAction *copyCurlAction() const { return m_copyCurl; }
    QAction *clearAction() const { return m_clear; }
    QLineEdit *filterEdit() const { return m_filter; }
    QCheckBox *backgroundBox() const { return m_background; }
    QSpinBox *capacityBox() const { return m_capacity; }

    // The curl line of the selected exchange ("" when none is selected).
    QString selectedCurl() const;

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void showSelected();

    HttpJournal *m_journal;
    HttpJournalModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QCheckBox *m_background;
    QCheckBox *m_follow;
    QSpinBox *m_capacity;
    qint64 m_shownId = 0; // the exchange in the detail panes
    QTableView *m_view;
    QPlainTextEdit *m_request;
    QPlainTextEdit *m_response;
    QAction *m_copyCurl;
    QAction *m_clear;
};

} // namespace Feedscope::Ui
