import { useLocation, useNavigate } from 'zmp-ui';
import { PostingDetailPage, PostingListPage } from './index.tsx';

/** "/postings" (the windows of my hamlet) and "/postings/<id>" (one list; the group message's link). */
export default function PostingRoutes() {
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const id = decodeURIComponent(pathname.replace(/^\/postings\/?/, '').split('/')[0] ?? '');
  const home = () => navigate('/', { direction: 'backward' });
  if (id)
    return (
      <PostingDetailPage key={id} postingId={id} onBack={() => navigate('/postings', { direction: 'backward' })} />
    );
  return <PostingListPage onBack={home} openPosting={(p) => navigate(`/postings/${encodeURIComponent(p)}`)} />;
}
